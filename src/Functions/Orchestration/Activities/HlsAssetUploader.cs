using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Puts an HLS VOD packaged after the stop in the destination under <c>hls/</c>, whichever way it was packaged, replacing whatever else is there.</summary>
public sealed class HlsAssetUploader(RecordingDestinations destinations)
{
    public async Task<PostProcessOutput> UploadAsync(AssetTarget target, string folder, TimeSpan duration, CancellationToken cancellationToken, string? note = null)
    {
        using var destination = await destinations.OpenAsync(target, cancellationToken);
        var keyFolder = destinations.Folder(target, ObjectKind.Hls);
        var uploaded = await AssetUploader.UploadFolderAsync(destination, folder, keyFolder, cancellationToken);

        // Pieces uploaded while recording (PackageSegmentHls) before that way was given up are not in this playlist.
        var listed = uploaded.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        await foreach (var stale in destination.ListAsync(keyFolder + "/", cancellationToken))
        {
            if (!listed.Contains(stale.Key))
            {
                await destination.DeleteAsync(stale.Key, cancellationToken);
            }
        }

        return new PostProcessOutput([new RecordingAsset(ObjectKind.Hls.Path, keyFolder + "/" + HlsPackager.PlaylistName, uploaded.Sum(u => u.Bytes), duration, null) { Note = note }]);
    }
}
