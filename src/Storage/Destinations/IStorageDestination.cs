using Recording.Storage.Upload;

namespace Recording.Storage.Destinations;

/// <summary>One place recordings are stored: S3 (or compatible), Azure Blob or a local folder. Keys come from <see cref="Keys.ObjectKeyBuilder"/>.</summary>
public interface IStorageDestination : IDisposable
{
    /// <summary>"s3", "azureBlob" or "localFolder".</summary>
    string Kind { get; }

    /// <summary>Uploads a local file (single put or resumable multipart) and verifies what arrived; see <see cref="UploadResult.Verified"/>.</summary>
    Task<UploadResult> UploadFileAsync(string localPath, string key, IProgress<UploadProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Writes a small object in one request (validation probes, manifests).</summary>
    Task PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Opens the object, or the given byte range of it, for reading.</summary>
    Task<Stream> OpenReadAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>Size, content type, ETag and our stored SHA-256 of an object; null when it does not exist.</summary>
    Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; false when it was not there (where the provider tells).</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// A URL a player can GET without credentials until <paramref name="expiry"/> passes (S3 presigned URL,
    /// Blob SAS). Null where the destination has no such thing: a local folder's file path is not a playback URL.
    /// </summary>
    Task<Uri?> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a multipart (staged-block) upload on <paramref name="key"/> and abandons it: proves the multipart permission.
    /// Returns a note when the store could not clean up after itself (e.g. an endpoint without AbortMultipartUpload), else null.
    /// </summary>
    Task<string?> ProbeMultipartAsync(string key, CancellationToken cancellationToken = default);
}
