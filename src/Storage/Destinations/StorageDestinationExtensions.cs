namespace Recording.Storage.Destinations;

/// <summary>Conveniences built on <see cref="IStorageDestination"/>'s primitives.</summary>
public static class StorageDestinationExtensions
{
    /// <summary>Downloads an object to a local file (written to a temp name, then renamed, so a half download never looks complete).</summary>
    public static async Task DownloadToFileAsync(this IStorageDestination destination, string key, string localPath, CancellationToken cancellationToken = default)
    {
        var temp = localPath + ".download-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using (var source = await destination.OpenReadAsync(key, null, cancellationToken))
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                await source.CopyToAsync(target, 1 << 20, cancellationToken);
            }

            File.Move(temp, localPath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
