using Recording.Durable.Activities;
using Recording.Media.Manifest;
using Recording.Media.Splice;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Splices the recording's segments (by stream copy where they allow it) into one MP4 and uploads it to <c>spliced/</c>.</summary>
/// <remarks>The classic way, after the stop: used when the segments could not be appended as they closed (<see cref="AppendToSplice"/>).</remarks>
public sealed class SpliceSegments(SplicedAssetUploader uploader) : TaskActivity<PostProcessInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, PostProcessInput input)
    {
        var output = SplicedAssetUploader.LocalPath(input.WorkFolder, input.Target.RecordingId);
        var folder = Directory.CreateDirectory(Path.GetDirectoryName(output)!).FullName;
        var splicer = new SegmentSplicer(null, new SpliceOptions { WorkingDirectory = folder });
        var result = await splicer.SpliceAsync(new SpliceRequest(Path.Combine(input.CaptureFolder, SegmentManifest.FileName), output), context.CancellationToken);
        return input.Upload
            ? await uploader.UploadAsync(input.Target, output, result.Output.Duration, context.CancellationToken)
            : new PostProcessOutput([], output);
    }
}
