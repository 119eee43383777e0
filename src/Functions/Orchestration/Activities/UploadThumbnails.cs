using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Uploads a thumbnails job's poster, images, sprite sheets and WebVTT track to <c>thumbnails/</c>.</summary>
public sealed class UploadThumbnails(RecordingDestinations destinations) : TaskActivity<UploadMediaJobInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, UploadMediaJobInput input)
    {
        var result = input.Result;
        if (result.WebVttPath is not { } vtt || result.PosterPath is not { } poster)
        {
            throw new InvalidOperationException($"The thumbnails job {result.JobId} reported no WebVTT track or poster.");
        }

        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var vttKey = destinations.Key(input.Target, ObjectKind.Thumbnails, Path.GetFileName(vtt));
        var uploaded = await AssetUploader.UploadFolderAsync(destination, Path.GetDirectoryName(vtt)!, vttKey[..vttKey.LastIndexOf('/')], context.CancellationToken);
        var posterKey = destinations.Key(input.Target, ObjectKind.Thumbnails, Path.GetFileName(poster));
        return new PostProcessOutput(
        [
            new RecordingAsset(ObjectKind.Thumbnails.Path, vttKey, uploaded.Sum(u => u.Bytes), null, null),
            new RecordingAsset(ObjectKind.Thumbnails.Path, posterKey, uploaded.Single(u => u.Key == posterKey).Bytes, null, null),
        ]);
    }
}
