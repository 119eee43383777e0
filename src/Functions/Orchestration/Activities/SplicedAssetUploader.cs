using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Puts a spliced file in the destination under <c>spliced/</c>, whichever way it was spliced.</summary>
public sealed class SplicedAssetUploader(RecordingDestinations destinations)
{
    /// <summary>Where a recording's spliced file is made, in its post-processing folder.</summary>
    public static string LocalPath(string postFolder, string recordingId) => Path.Combine(postFolder, PostProcessingFolders.Spliced, recordingId + ".mp4");

    public async Task<PostProcessOutput> UploadAsync(AssetTarget target, string localPath, TimeSpan duration, CancellationToken cancellationToken, string? note = null)
    {
        using var destination = await destinations.OpenAsync(target, cancellationToken);
        var uploaded = await AssetUploader.UploadFileAsync(destination, localPath, destinations.Key(target, ObjectKind.Spliced, Path.GetFileName(localPath)), cancellationToken);
        return new PostProcessOutput([new RecordingAsset(ObjectKind.Spliced.Path, uploaded.Key, uploaded.Bytes, duration, null) { Note = note }], localPath);
    }
}
