using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Storage.Destinations;
using Recording.Storage.Integrity;
using Recording.Storage.Keys;
using Recording.Storage.Streams;
using Recording.Storage.Upload;

namespace Recording.Storage.Blob;

/// <summary>
/// An Azure Blob container. Large files are staged as blocks (each with its MD5, checked by the service)
/// and committed as a block list; an interrupted upload resumes from the uncommitted blocks the service
/// still holds and the state file beside the local file. Verification compares size, the SHA-256 stored as
/// metadata and the committed block list with the blocks we staged.
/// </summary>
public sealed class AzureBlobStorageDestination : IStorageDestination
{
    /// <summary>Metadata name under which the uploader stores the hex SHA-256 of the whole file.</summary>
    public const string Sha256Metadata = "sha256";

    private readonly BlobContainerClient container;
    private readonly UploadOptions options;
    private readonly ILogger logger;
    private int retries;

    public AzureBlobStorageDestination(BlobContainerClient container, UploadOptions? options = null, ILogger? logger = null)
    {
        this.container = container;
        this.options = (options ?? new UploadOptions()).Validate();
        this.logger = logger ?? NullLogger.Instance;
    }

    public string Kind => "azureBlob";

    public int RetryCount => retries;

    public BlobContainerClient Container => container;

    private string StateIdentity => "azureblob://" + container.AccountName + "/" + container.Name;

    public static async Task<AzureBlobStorageDestination> CreateAsync(
        AzureBlobDestinationSettings settings, UploadOptions? options = null, ISecretResolver? secrets = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        settings.EnsureValid();
        options = (options ?? new UploadOptions()).Validate();
        secrets ??= new SecretResolver();
        var clientOptions = new BlobClientOptions();
        // Our retry pipeline retries each block with backoff; the SDK's own retries would multiply attempts.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = options.RequestTimeout;
        if (options.HttpHandler is { } handler)
        {
            // Azure.Core applies NetworkTimeout itself; HttpClient's own 100 s would cut a slow block short.
            clientOptions.Transport = new HttpClientTransport(new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });
        }

        BlobServiceClient service;
        if (settings.ConnectionString is not null || settings.ConnectionStringReference is not null)
        {
            var connectionString = settings.ConnectionString
                ?? await secrets.ResolveAsync(settings.ConnectionStringReference!, "connectionStringReference", cancellationToken);
            try
            {
                service = new BlobServiceClient(connectionString.Reveal(), clientOptions);
            }
            catch (FormatException)
            {
                // The SDK's message may quote the string; ours names the field only.
                throw new DestinationSettingsException([new SettingsError("connectionString", "connection-string-format", "is not a valid storage connection string.")]);
            }
        }
        else
        {
            var key = settings.AccountKey ?? await secrets.ResolveAsync(settings.AccountKeyReference!, "accountKeyReference", cancellationToken);
            var uri = settings.ServiceUri ?? new Uri($"https://{settings.AccountName}.blob.core.windows.net");
            try
            {
                service = new BlobServiceClient(uri, new StorageSharedKeyCredential(settings.AccountName, key.Reveal()), clientOptions);
            }
            catch (FormatException)
            {
                throw new DestinationSettingsException([new SettingsError("accountKey", "base64", "must be the base64 account key.")]);
            }
        }

        return new AzureBlobStorageDestination(service.GetBlobContainerClient(settings.Container), options, logger);
    }

    public async Task<UploadResult> UploadFileAsync(string localPath, string key, IProgress<UploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectKeySanitizer.Path("key", key);
        var digest = await FileDigest.ComputeAsync(localPath, options.PartSizeFor(new FileInfo(localPath).Length), cancellationToken);
        var pipeline = Pipeline(cancellationToken);
        var blob = container.GetBlockBlobClient(key);
        if (digest.Size < options.MultipartThreshold)
        {
            await pipeline.ExecuteAsync(async token =>
            {
                await using var stream = new FileRangeStream(localPath, 0, digest.Size);
                var response = await blob.UploadAsync(stream, new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypes.For(key), ContentHash = digest.Md5 },
                    Metadata = new Dictionary<string, string> { [Sha256Metadata] = digest.Sha256Hex },
                    // One Put Blob below the threshold; the SDK sends Content-MD5 (it refuses a precalculated one where it might partition).
                    TransferOptions = new StorageTransferOptions { InitialTransferSize = options.MultipartThreshold, MaximumTransferSize = options.MultipartThreshold },
                    TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
                }, token);
                if (response.Value.ContentHash is { } hash && !hash.AsSpan().SequenceEqual(digest.Md5))
                {
                    throw new PartIntegrityException(key, 1, digest.Md5Hex, Convert.ToHexStringLower(hash));
                }
            }, cancellationToken);
            progress?.Report(new UploadProgress(key, 1, 1, 1, digest.Size, digest.Size));
            return await VerifyAsync(blob, key, digest, blockIds: null, resumed: 0, cancellationToken);
        }

        var partCount = options.PartCount(digest.Size);
        var blockIds = Enumerable.Range(1, partCount).Select(n => BlockId(digest, n)).ToList();
        var state = UploadStateFile.TryLoad(localPath);
        if (state is not null && (state.Destination != StateIdentity || state.Key != key || state.FileSha256 != digest.Sha256Hex || state.PartSize != digest.PartSize))
        {
            state = null;
        }

        state ??= new UploadState
        {
            Destination = StateIdentity,
            Key = key,
            UploadId = "blocks:" + digest.Sha256Hex[..16],
            FileSize = digest.Size,
            FileSha256 = digest.Sha256Hex,
            PartSize = digest.PartSize,
        };

        // A block the state file remembers counts only if the service still holds it uncommitted with the right size.
        var uncommitted = await UncommittedBlocksAsync(blob, pipeline, cancellationToken);
        var done = state.Parts
            .Where(p => p.PartNumber <= partCount && uncommitted.TryGetValue(blockIds[p.PartNumber - 1], out var size) && size == digest.PartBounds(p.PartNumber).Length)
            .ToDictionary(p => p.PartNumber);
        state.Parts.Clear();
        state.Parts.AddRange(done.Values.OrderBy(p => p.PartNumber));
        UploadStateFile.Save(localPath, state);
        var resumed = done.Count;
        var bytesDone = done.Values.Sum(p => p.Size);
        var gate = new object();
        var remaining = Enumerable.Range(1, partCount).Where(n => !done.ContainsKey(n)).ToList();
        await Parallel.ForEachAsync(remaining, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (n, token) =>
        {
            var (offset, length) = digest.PartBounds(n);
            var md5 = digest.PartMd5s[n - 1];
            await pipeline.ExecuteAsync(async attemptToken =>
            {
                await using var stream = new FileRangeStream(localPath, offset, length);
                var response = await blob.StageBlockAsync(blockIds[n - 1], stream, new BlockBlobStageBlockOptions
                {
                    TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = md5 },
                }, attemptToken);
                if (response.Value.ContentHash is { Length: > 0 } hash && !hash.AsSpan().SequenceEqual(md5))
                {
                    throw new PartIntegrityException(key, n, Convert.ToHexStringLower(md5), Convert.ToHexStringLower(hash));
                }
            }, token);

            UploadProgress report;
            lock (gate)
            {
                state.Parts.Add(new CompletedPart(n, blockIds[n - 1], Convert.ToHexStringLower(md5), length));
                UploadStateFile.Save(localPath, state);
                bytesDone += length;
                report = new UploadProgress(key, n, state.Parts.Count, partCount, bytesDone, digest.Size);
            }

            progress?.Report(report);
        });

        // Committing the same list twice is harmless, so a lost answer needs no special case here.
        await pipeline.ExecuteAsync(async token => await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypes.For(key), ContentHash = digest.Md5 },
            Metadata = new Dictionary<string, string> { [Sha256Metadata] = digest.Sha256Hex },
        }, token), cancellationToken);

        var result = await VerifyAsync(blob, key, digest, blockIds, resumed, cancellationToken);
        UploadStateFile.Delete(localPath);
        return result;
    }

    public async Task PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ObjectKeySanitizer.Path("key", key);
        await container.GetBlobClient(key).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypes.For(key) },
        }, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(string key, Destinations.ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var download = await container.GetBlobClient(key).DownloadStreamingAsync(new BlobDownloadOptions
        {
            Range = range is null ? default : new HttpRange(range.First, range.Length),
        }, cancellationToken);
        return download.Value.Content;
    }

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = (await container.GetBlobClient(key).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            properties.Metadata.TryGetValue(Sha256Metadata, out var sha);
            return new StoredObject(key, properties.ContentLength, properties.LastModified, properties.ETag.ToString().Trim('"'), properties.ContentType, sha);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound")
        {
            return null;
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            yield return new StoredObject(item.Name, item.Properties.ContentLength ?? 0, item.Properties.LastModified, item.Properties.ETag?.ToString().Trim('"'), item.Properties.ContentType);
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
        => (await container.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;

    public Task<Uri?> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient(key);
        // A SAS needs the account key; with other credentials (managed identity) a user delegation key would be needed.
        return Task.FromResult(blob.CanGenerateSasUri ? blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow + expiry) : null);
    }

    public async Task<string?> ProbeMultipartAsync(string key, CancellationToken cancellationToken = default)
    {
        // Staged onto the probe blob and never committed: deleting the probe removes the block with it.
        var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes("validate-probe-block"));
        await container.GetBlockBlobClient(key).StageBlockAsync(blockId, new MemoryStream([1, 2, 3]), new BlockBlobStageBlockOptions(), cancellationToken);
        return null;
    }

    public void Dispose()
    {
    }

    private static string BlockId(FileDigest digest, int partNumber)
        => Convert.ToBase64String(Encoding.ASCII.GetBytes($"{digest.Sha256Hex[..16]}-{partNumber:D6}"));

    private static async Task<Dictionary<string, long>> UncommittedBlocksAsync(BlockBlobClient blob, Polly.ResiliencePipeline pipeline, CancellationToken cancellationToken)
    {
        try
        {
            var list = await pipeline.ExecuteAsync(async token => (await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: token)).Value, cancellationToken);
            return list.UncommittedBlocks.ToDictionary(b => b.Name, b => b.SizeLong);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound")
        {
            return [];
        }
    }

    private async Task<UploadResult> VerifyAsync(BlockBlobClient blob, string key, FileDigest digest, List<string>? blockIds, int resumed, CancellationToken cancellationToken)
    {
        var pipeline = Pipeline(cancellationToken);
        var properties = await pipeline.ExecuteAsync(async token => (await blob.GetPropertiesAsync(cancellationToken: token)).Value, cancellationToken);
        if (properties.ContentLength != digest.Size)
        {
            throw new UploadVerificationException(key, $"stored size {properties.ContentLength} differs from the local {digest.Size} bytes");
        }

        if (!properties.Metadata.TryGetValue(Sha256Metadata, out var sha) || !string.Equals(sha, digest.Sha256Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadVerificationException(key, "the stored SHA-256 metadata differs from the local file's");
        }

        var checks = new List<string> { "size", "sha256-metadata" };
        if (blockIds is null)
        {
            checks.Add("content-md5");
        }
        else
        {
            var committed = await pipeline.ExecuteAsync(async token => (await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: token)).Value, cancellationToken);
            var stored = committed.CommittedBlocks.Select(b => (b.Name, b.SizeLong)).ToList();
            var expected = blockIds.Select((id, i) => (id, digest.PartBounds(i + 1).Length)).ToList();
            if (!stored.SequenceEqual(expected))
            {
                throw new UploadVerificationException(key, "the committed block list differs from the blocks staged");
            }

            checks.Add("block-list(md5 per block)");
        }

        if (options.VerifyByReadBack)
        {
            await using var stream = await OpenReadAsync(key, null, cancellationToken);
            if (Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)) != digest.Sha256Hex)
            {
                throw new UploadVerificationException(key, "the SHA-256 of the bytes read back differs from the local file's");
            }

            checks.Add("read-back-sha256");
        }

        return new UploadResult(key, digest.Size, digest.Sha256Hex, Verified: true, string.Join("+", checks),
            blockIds?.Count ?? 1, resumed, properties.ETag.ToString().Trim('"'));
    }

    private Polly.ResiliencePipeline Pipeline(CancellationToken cancellationToken) => RetryPipelines.Create(options, cancellationToken, e =>
    {
        Interlocked.Increment(ref retries);
        logger.LogDebug("Retrying blob request after {Error}", e.GetType().Name);
    });
}
