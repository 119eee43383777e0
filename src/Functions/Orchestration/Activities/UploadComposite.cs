using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Uploads a compose job's file to <c>composite/</c>; the asset notes how it was composed.</summary>
public sealed class UploadComposite(RecordingDestinations destinations) : TaskActivity<UploadMediaJobInput, RecordingAsset>
{
    public override async Task<RecordingAsset> RunAsync(TaskActivityContext context, UploadMediaJobInput input)
    {
        var composite = input.Result.Output ?? throw new InvalidOperationException($"The compose job {input.Result.JobId} reported no file.");
        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var uploaded = await AssetUploader.UploadFileAsync(destination, composite.Path, destinations.Key(input.Target, ObjectKind.Composite, Path.GetFileName(composite.Path)), context.CancellationToken);
        return new RecordingAsset(ObjectKind.Composite.Path, uploaded.Key, uploaded.Bytes, composite.Duration, null) { Note = input.Result.Decision };
    }
}
