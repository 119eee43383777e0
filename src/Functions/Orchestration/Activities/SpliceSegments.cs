using Recording.Durable.Activities;
using Recording.Media.Manifest;
using Recording.Media.Splice;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Splices the recording's segments by stream copy into one MP4 and uploads it to <c>spliced/</c>; segments that could only be
/// joined by re-encoding some of them are left to a media job (<see cref="PostProcessOutput.TranscodeNeeded"/>).
/// </summary>
/// <remarks>The classic way, after the stop: used when the segments could not be appended as they closed (<see cref="AppendToSplice"/>).</remarks>
public sealed class SpliceSegments(SplicedAssetUploader uploader) : TaskActivity<PostProcessInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, PostProcessInput input)
    {
        var output = SplicedAssetUploader.LocalPath(input.WorkFolder, input.Target.RecordingId);
        var folder = Directory.CreateDirectory(Path.GetDirectoryName(output)!).FullName;
        var splicer = new SegmentSplicer(null, new SpliceOptions { WorkingDirectory = folder });
        var manifest = Path.Combine(input.CaptureFolder, SegmentManifest.FileName);
        var plan = await splicer.PlanAsync(manifest, context.CancellationToken);
        if (!plan.IsCopy)
        {
            return new PostProcessOutput([]) { TranscodeNeeded = plan.Reason };
        }

        var result = await splicer.SpliceAsync(new SpliceRequest(manifest, output), context.CancellationToken);
        return input.Upload
            ? await uploader.UploadAsync(input.Target, output, result.Output.Duration, context.CancellationToken)
            : new PostProcessOutput([], output);
    }
}
