using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Makes a poster, periodic thumbnails, sprite sheets and a WebVTT track from the spliced file and uploads them to <c>thumbnails/</c>.</summary>
public sealed class MakeThumbnails(RecordingDestinations destinations) : TaskActivity<PostProcessInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, PostProcessInput input)
    {
        var folder = Path.Combine(input.WorkFolder, "thumbnails");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var result = await new ThumbnailGenerator().GenerateAsync(
            new ThumbnailRequest(PackageHls.Required(input.SplicedPath), folder) { Interval = input.ThumbnailInterval }, context.CancellationToken);
        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var vttKey = destinations.Key(input.Target, ObjectKind.Thumbnails, Path.GetFileName(result.WebVttPath));
        var uploaded = await AssetUploader.UploadFolderAsync(destination, folder, vttKey[..vttKey.LastIndexOf('/')], context.CancellationToken);
        var posterKey = destinations.Key(input.Target, ObjectKind.Thumbnails, Path.GetFileName(result.PosterPath));
        return new PostProcessOutput(
        [
            new RecordingAsset(ObjectKind.Thumbnails.Path, vttKey, uploaded.Sum(u => u.Bytes), null, null),
            new RecordingAsset(ObjectKind.Thumbnails.Path, posterKey, uploaded.Single(u => u.Key == posterKey).Bytes, null, null),
        ]);
    }
}
