using Recording.Durable.Activities;
using Recording.Media.Manifest;
using Recording.Media.Splice;
using Recording.Media.Verification;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Splices the recording's segments into one MP4 and uploads it to <c>spliced/</c>; segments whose video could only be joined
/// by re-encoding are left to a media job (<see cref="PostProcessOutput.TranscodeNeeded"/>). Audio that differs is re-encoded
/// here: an audio encode costs about a hundredth of a video one.
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
        if (plan.Video == StreamHandling.ReEncoded)
        {
            return new PostProcessOutput([]) { TranscodeNeeded = plan.Reason };
        }

        var result = await splicer.SpliceAsync(new SpliceRequest(manifest, output), context.CancellationToken);
        return input.Upload
            ? await uploader.UploadAsync(input.Target, output, result.Output.Duration, context.CancellationToken)
            : new PostProcessOutput([], output);
    }
}
