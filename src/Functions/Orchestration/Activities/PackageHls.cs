using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Packages the spliced file as an HLS VOD (stream copy) and uploads the playlist and its segments to <c>hls/</c>, replacing whatever else is there.</summary>
public sealed class PackageHls(RecordingDestinations destinations) : TaskActivity<PostProcessInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, PostProcessInput input)
    {
        var folder = Path.Combine(input.WorkFolder, "hls");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true); // a previous attempt's half package
        }

        var result = await new HlsPackager().PackageAsync(new HlsPackageRequest(Required(input.SplicedPath), folder), context.CancellationToken);
        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var keyFolder = destinations.Folder(input.Target, ObjectKind.Hls);
        var uploaded = await AssetUploader.UploadFolderAsync(destination, folder, keyFolder, context.CancellationToken);

        // Pieces uploaded while recording (PackageSegmentHls) before that way was given up are not in this playlist.
        var listed = uploaded.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        await foreach (var stale in destination.ListAsync(keyFolder + "/", context.CancellationToken))
        {
            if (!listed.Contains(stale.Key))
            {
                await destination.DeleteAsync(stale.Key, context.CancellationToken);
            }
        }

        return new PostProcessOutput([new RecordingAsset(ObjectKind.Hls.Path, keyFolder + "/" + HlsPackager.PlaylistName, uploaded.Sum(u => u.Bytes), result.Playlist.Duration, null)]);
    }

    internal static string Required(string? splicedPath) =>
        splicedPath ?? throw new InvalidOperationException("Packaging needs the spliced file, and the splice step gave none.");
}
