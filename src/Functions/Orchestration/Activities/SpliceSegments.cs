using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Manifest;
using Recording.Media.Splice;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Splices the recording's segments (by stream copy where they allow it) into one MP4 and uploads it to <c>spliced/</c>.</summary>
public sealed class SpliceSegments(RecordingDestinations destinations) : TaskActivity<PostProcessInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, PostProcessInput input)
    {
        var folder = Directory.CreateDirectory(Path.Combine(input.WorkFolder, "spliced")).FullName;
        var output = Path.Combine(folder, input.Target.RecordingId + ".mp4");
        var splicer = new SegmentSplicer(null, new SpliceOptions { WorkingDirectory = folder });
        var result = await splicer.SpliceAsync(new SpliceRequest(Path.Combine(input.CaptureFolder, SegmentManifest.FileName), output), context.CancellationToken);
        if (!input.Upload)
        {
            return new PostProcessOutput([], output);
        }

        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var uploaded = await AssetUploader.UploadFileAsync(destination, output, destinations.Key(input.Target, ObjectKind.Spliced, Path.GetFileName(output)), context.CancellationToken);
        return new PostProcessOutput([new RecordingAsset(ObjectKind.Spliced.Path, uploaded.Key, uploaded.Bytes, result.Output.Duration, null)], output);
    }
}
