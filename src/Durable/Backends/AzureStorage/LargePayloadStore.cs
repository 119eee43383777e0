using System.Text;
using Azure.Storage.Blobs;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>Keeps text too large for a queue message or a table property in a blob, under the instance's prefix so purge finds it.</summary>
internal sealed class LargePayloadStore(BlobContainerClient container, int thresholdBytes)
{
    public int ThresholdBytes => thresholdBytes;

    public bool IsLarge(string text) => Encoding.UTF8.GetByteCount(text) > thresholdBytes;

    /// <summary>Returns the text itself when small, otherwise uploads it and returns the blob name to store instead.</summary>
    public async Task<(string? Inline, string? BlobName)> StoreAsync(string instanceId, string text, CancellationToken cancellationToken = default)
    {
        if (!IsLarge(text))
        {
            return (text, null);
        }

        return (null, await StoreLargeAsync(instanceId, text, cancellationToken));
    }

    /// <summary>Uploads the text to a new blob under the instance's prefix and returns the blob name.</summary>
    public async Task<string> StoreLargeAsync(string instanceId, string text, CancellationToken cancellationToken = default)
    {
        var name = $"{InstancePrefix(instanceId)}{Guid.NewGuid():N}";
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(text), overwrite: true, cancellationToken);
        return name;
    }

    public async Task<string> LoadAsync(string? inline, string? blobName, CancellationToken cancellationToken = default)
    {
        if (blobName is null)
        {
            return inline ?? throw new InvalidDataException("A stored payload has neither inline text nor a blob reference.");
        }

        var content = await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToString();
    }

    /// <summary>Deletes every blob of one instance (purge).</summary>
    public async Task<int> DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = InstancePrefix(instanceId) }, cancellationToken))
        {
            await container.GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
            deleted++;
        }

        return deleted;
    }

    /// <summary>Escaped ('.' too, which URIs would otherwise fold) so that an id with '/' or '..' cannot reach another instance's folder.</summary>
    public static string InstancePrefix(string instanceId) => Uri.EscapeDataString(instanceId).Replace(".", "%2E", StringComparison.Ordinal) + "/";
}
