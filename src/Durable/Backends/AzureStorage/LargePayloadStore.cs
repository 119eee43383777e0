using System.Security.Cryptography;
using System.Text;
using Azure;
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

    /// <summary>
    /// Uploads an instance's state under a name made from its SHA-256 and returns the name. The same state written again (the
    /// instance row rewritten to take or release a lock, the Instances projection of the state just committed) finds the
    /// blob already there and uploads nothing, and a name always means the same bytes, so a reader never sees a blob change.
    /// </summary>
    public async Task<string> StoreStateAsync(string instanceId, string json, CancellationToken cancellationToken = default)
    {
        var name = StateBlobName(instanceId, json);
        var blob = container.GetBlobClient(name);
        if (await blob.ExistsAsync(cancellationToken))
        {
            return name;
        }

        try
        {
            await blob.UploadAsync(BinaryData.FromString(json), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already stored: same name, same bytes.
        }

        return name;
    }

    /// <summary>
    /// Deletes the blob of a state that <paramref name="current"/> replaced, once no row refers to it any more. A reader that
    /// read a row just before may still ask for it: it gets <see cref="IsMissingBlob"/> and reads the row again.
    /// </summary>
    public async Task DeleteSupersededStateAsync(string instanceId, string previous, string current, CancellationToken cancellationToken = default)
    {
        if (Encoding.UTF8.GetByteCount(previous) <= MaxInlineTablePropertyBytes || previous == current)
        {
            return;
        }

        await container.GetBlobClient(StateBlobName(instanceId, previous)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>A table string property holds 32 K UTF-16 characters; text over this many UTF-8 bytes goes to a blob instead.</summary>
    public const int MaxInlineTablePropertyBytes = 30_000;

    /// <summary>How many times a read of a row meets its state blob deleted under it before it gives up (each time a commit got in between).</summary>
    public const int MissingStateReads = 5;

    /// <summary>Whether a load failed because the blob is gone: the row that named it was replaced and its old state deleted.</summary>
    public static bool IsMissingBlob(RequestFailedException exception) => exception.Status == 404;

    public async Task<string> LoadAsync(string? inline, string? blobName, CancellationToken cancellationToken = default)
    {
        if (blobName is null)
        {
            return inline ?? throw new InvalidDataException("A stored payload has neither inline text nor a blob reference.");
        }

        var content = await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToString();
    }

    /// <summary>Deletes one blob that no row or message refers to any more.</summary>
    public Task DeleteAsync(string blobName, CancellationToken cancellationToken = default)
        => container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

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

    private static string StateBlobName(string instanceId, string json)
        => $"{InstancePrefix(instanceId)}state-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))}";

    /// <summary>Escaped ('.' too, which URIs would otherwise fold) so that an id with '/' or '..' cannot reach another instance's folder.</summary>
    public static string InstancePrefix(string instanceId) => Uri.EscapeDataString(instanceId).Replace(".", "%2E", StringComparison.Ordinal) + "/";
}
