using Microsoft.Extensions.Logging;
using Recording.Storage.Upload;

namespace Recording.Storage.Destinations;

/// <summary>Creates the destination that matches the settings' kind.</summary>
public static class StorageDestinationFactory
{
    public static async Task<IStorageDestination> CreateAsync(
        DestinationSettings settings, UploadOptions? options = null, ISecretResolver? secrets = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        settings.EnsureValid();
        return settings switch
        {
            S3DestinationSettings s3 => await S3.S3StorageDestination.CreateAsync(s3, options, secrets, logger, cancellationToken),
            AzureBlobDestinationSettings blob => await Blob.AzureBlobStorageDestination.CreateAsync(blob, options, secrets, logger, cancellationToken),
            LocalFolderDestinationSettings local => new Local.LocalFolderStorageDestination(local, options),
            _ => throw new DestinationSettingsException([new SettingsError("kind", "known-kind", "must be s3, azureBlob or localFolder.")]),
        };
    }
}
