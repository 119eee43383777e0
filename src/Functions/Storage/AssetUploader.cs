using Recording.Functions.Orchestration.Activities;
using Recording.Storage.Destinations;
using Recording.Storage.Keys;

namespace Recording.Functions.Storage;

/// <summary>Uploads post-processing outputs (a file, or a folder such as an HLS package) and insists that every upload was verified.</summary>
public static class AssetUploader
{
    public static async Task<UploadedFile> UploadFileAsync(IStorageDestination destination, string localPath, string key, CancellationToken cancellationToken = default)
    {
        var result = await destination.UploadFileAsync(localPath, key, null, cancellationToken);
        if (!result.Verified)
        {
            throw new IOException($"The upload of '{key}' was not confirmed by the destination ({result.Verification}).");
        }

        return new UploadedFile(key, result.Bytes, result.Sha256);
    }

    /// <summary>Uploads every file under <paramref name="localFolder"/> below <paramref name="keyFolder"/>, keeping relative paths (so playlists still resolve).</summary>
    public static async Task<IReadOnlyList<UploadedFile>> UploadFolderAsync(IStorageDestination destination, string localFolder, string keyFolder, CancellationToken cancellationToken = default)
    {
        var uploaded = new List<UploadedFile>();
        foreach (var file in Directory.EnumerateFiles(localFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(localFolder, file).Replace('\\', '/');
            var key = ObjectKeySanitizer.Path("key", keyFolder + "/" + relative);
            uploaded.Add(await UploadFileAsync(destination, file, key, cancellationToken));
        }

        return uploaded;
    }
}
