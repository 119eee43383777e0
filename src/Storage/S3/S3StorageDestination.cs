using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Storage.Destinations;
using Recording.Storage.Integrity;
using Recording.Storage.Keys;
using Recording.Storage.Upload;

namespace Recording.Storage.S3;

/// <summary>
/// An S3 bucket (AWS or S3-compatible). Small files go up in one PutObject; larger ones in a resumable
/// multipart upload whose parts carry Content-MD5 and whose ETags are compared with the MD5 we computed
/// (where the ETag is an MD5: not under SSE-KMS or SSE-C, see <see cref="S3ETagMeaning"/>); the completed
/// object is verified by size, ETag and the SHA-256 stored as metadata (or read back).
/// </summary>
public sealed class S3StorageDestination : IStorageDestination
{
    /// <summary>Metadata name (x-amz-meta-sha256) under which the uploader stores the hex SHA-256 of the whole file.</summary>
    public const string Sha256Metadata = "x-amz-meta-sha256";

    private readonly IAmazonS3 client;
    private readonly S3DestinationSettings settings;
    private readonly UploadOptions options;
    private readonly ILogger logger;
    private int retries;

    public S3StorageDestination(IAmazonS3 client, S3DestinationSettings settings, UploadOptions? options = null, ILogger? logger = null)
    {
        settings.EnsureValid();
        this.client = client;
        this.settings = settings;
        this.options = (options ?? new UploadOptions()).Validate();
        this.logger = logger ?? NullLogger.Instance;
    }

    public string Kind => "s3";

    /// <summary>Requests retried so far by this destination (all operations).</summary>
    public int RetryCount => retries;

    public IAmazonS3 Client => client;

    public string Bucket => settings.Bucket;

    private string StateIdentity => "s3://" + settings.Bucket;

    /// <summary>Builds the client from settings (resolving secret references) and the destination on it.</summary>
    public static async Task<S3StorageDestination> CreateAsync(
        S3DestinationSettings settings, UploadOptions? options = null, ISecretResolver? secrets = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new UploadOptions()).Validate();
        var client = await S3ClientFactory.CreateAsync(settings, secrets ?? new SecretResolver(), options, cancellationToken);
        return new S3StorageDestination(client, settings, options, logger);
    }

    public async Task<UploadResult> UploadFileAsync(string localPath, string key, IProgress<UploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectKeySanitizer.Path("key", key);
        var size = new FileInfo(localPath).Length;
        var digest = await FileDigest.ComputeAsync(localPath, options.PartSizeFor(size), cancellationToken);
        var pipeline = Pipeline(cancellationToken);
        if (size < options.MultipartThreshold)
        {
            await pipeline.ExecuteAsync(async token =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = settings.Bucket,
                    Key = key,
                    FilePath = localPath,
                    ContentType = ContentTypes.For(key),
                    MD5Digest = Convert.ToBase64String(digest.Md5),
                    UseChunkEncoding = settings.EffectiveChunkEncoding,
                };
                request.Metadata[Sha256Metadata] = digest.Sha256Hex;
                var response = await client.PutObjectAsync(request, token);
                CheckPartETag(key, 1, response.ETag, digest.Md5Hex, S3ETagMeaning.Encryption(response.ServerSideEncryptionMethod, response.ServerSideEncryptionCustomerMethod?.Value));
            }, cancellationToken);
            progress?.Report(new UploadProgress(key, 1, 1, 1, size, size));
            return await VerifyAsync(key, digest, multipart: false, resumed: 0, cancellationToken);
        }

        // A completed object that fails verification (seen with s3rver when a retried Complete lands after a
        // lost answer: it rewrites the object empty) is uploaded afresh, a bounded number of times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UploadMultipartAsync(localPath, key, digest, pipeline, progress, cancellationToken);
            }
            catch (UploadVerificationException e) when (attempt < WholeUploadAttempts)
            {
                logger.LogWarning("Upload of {Key} failed verification ({Detail}); uploading it again", key, e.Message);
            }
        }
    }

    /// <summary>How many times a multipart upload is redone from scratch when the completed object fails verification.</summary>
    public const int WholeUploadAttempts = 3;

    public async Task PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ObjectKeySanitizer.Path("key", key);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = settings.Bucket,
            Key = key,
            InputStream = stream,
            ContentType = ContentTypes.For(key),
            MD5Digest = Convert.ToBase64String(Md5(content.Span)),
            UseChunkEncoding = settings.EffectiveChunkEncoding,
        }, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(string key, Destinations.ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var request = new GetObjectRequest { BucketName = settings.Bucket, Key = key };
        if (range is not null)
        {
            request.ByteRange = new Amazon.S3.Model.ByteRange(range.First, range.Last);
        }

        try
        {
            var response = await client.GetObjectAsync(request, cancellationToken);
            return response.ResponseStream;
        }
        catch (ArgumentOutOfRangeException) when (range is null)
        {
            // The SDK checks a whole-object GET against its ETag when the ETag has no '-', and throws this when that ETag is
            // not an MD5 in hex (S3-compatible stores with their own ETag schemes; seen once from s3rver under load). A ranged
            // GET skips that check; callers that need integrity compare SHA-256 themselves.
            logger.LogInformation("GET of {Key} returned an ETag that is not an MD5; reading it again as a byte range", key);
            var head = await HeadAsync(key, cancellationToken) ?? throw new FileNotFoundException($"{key} is no longer in the bucket", key);
            if (head.Size == 0)
            {
                return new MemoryStream([], writable: false);
            }

            request.ByteRange = new Amazon.S3.Model.ByteRange(0, head.Size - 1);
            var response = await client.GetObjectAsync(request, cancellationToken);
            return response.ResponseStream;
        }
    }

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var head = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = settings.Bucket, Key = key }, cancellationToken);
            var sha = head.Metadata?.Keys.Contains(Sha256Metadata) == true ? head.Metadata[Sha256Metadata] : null;
            return new StoredObject(key, head.ContentLength, head.LastModified, head.ETag?.Trim('"'), head.Headers?.ContentType, sha,
                S3ETagMeaning.Encryption(head.ServerSideEncryptionMethod, head.ServerSideEncryptionCustomerMethod?.Value));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not "NoSuchBucket")
        {
            return null;
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var response = await client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = settings.Bucket,
                Prefix = prefix,
                ContinuationToken = token,
            }, cancellationToken);
            foreach (var o in response.S3Objects ?? [])
            {
                yield return new StoredObject(o.Key, o.Size ?? 0, o.LastModified, o.ETag?.Trim('"'));
            }

            if (response.IsTruncated != true)
            {
                token = null;
            }
            else if (response.NextContinuationToken is { Length: > 0 } next && next != token)
            {
                token = next;
            }
            else
            {
                // Ending here would give a caller (a recording's delete) a short list as if it were whole; asking again, a loop.
                throw new InvalidOperationException(
                    $"The store's listing under '{prefix}' says it goes on but gives {(string.IsNullOrEmpty(response.NextContinuationToken) ? "no continuation token" : "the same continuation token again")}; the listing would be incomplete.");
            }
        }
        while (token is not null);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        // S3 answers 204 whether or not the key existed, so "true" means "is gone now".
        await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = settings.Bucket, Key = key }, cancellationToken);
        return true;
    }

    public async Task<Uri?> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        if (expiry <= TimeSpan.Zero || expiry > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(expiry), expiry, "expiry: rule 'range' - SigV4 presigned URLs last more than 0 and at most 7 days.");
        }

        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = settings.Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + expiry,
            Protocol = settings.Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new Uri(url);
    }

    public async Task<string?> ProbeMultipartAsync(string key, CancellationToken cancellationToken = default)
    {
        var started = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = settings.Bucket, Key = key }, cancellationToken);
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = settings.Bucket, Key = key, UploadId = started.UploadId }, cancellationToken);
            return null;
        }
        catch (AmazonS3Exception e) when (S3ErrorCodes.IsUnsupported(e))
        {
            return $"the endpoint does not implement AbortMultipartUpload ({e.ErrorCode}); the probe upload is left to the bucket's lifecycle rule";
        }
    }

    /// <summary>S3's largest part, and so the largest range one UploadPartCopy may copy.</summary>
    public const long MaxCopyPartSize = 5L * 1024 * 1024 * 1024;

    /// <summary>S3's smallest part other than the last.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>
    /// The byte ranges one source is copied in: itself up to 5 GiB; above, equal ranges of at most 5 GiB, so that none is
    /// under S3's 5 MiB part minimum (cutting 5 GiB pieces off 5 GiB + 1 MiB would leave a 1 MiB part before the next
    /// source, which Complete refuses). An empty source has none: a zero-length copy range is not valid.
    /// </summary>
    internal static IEnumerable<(long First, long Last)> CopyRanges(long size)
    {
        if (size <= 0)
        {
            yield break;
        }

        var count = (size + MaxCopyPartSize - 1) / MaxCopyPartSize;
        var length = (size + count - 1) / count;
        for (long first = 0; first < size; first += length)
        {
            yield return (first, Math.Min(size, first + length) - 1);
        }
    }

    /// <summary>
    /// Joins <paramref name="sources"/> (in order, each as HEAD saw it) into <paramref name="targetKey"/> with
    /// UploadPartCopy, so that no byte leaves the store. Every source but the last must be at least 5 MiB (S3's
    /// part minimum); the caller checks that and the format (see <see cref="Assembly.ObjectConcatenator"/>).
    /// Returns null, after aborting its upload, when the endpoint does not implement UploadPartCopy.
    /// </summary>
    public async Task<Assembly.ConcatenationResult?> TryConcatenateByCopyAsync(IReadOnlyList<StoredObject> sources, string targetKey, CancellationToken cancellationToken = default)
    {
        ObjectKeySanitizer.Path("targetKey", targetKey);
        for (var i = 0; i < sources.Count - 1; i++)
        {
            if (sources[i].Size < MinPartSize)
            {
                throw new ArgumentException($"sources[{i}]: rule 'min-part-size' - every source but the last must be at least 5 MiB to be copied as a part.", nameof(sources));
            }
        }

        var plan = new List<(int Part, StoredObject Source, long First, long Last)>();
        foreach (var source in sources)
        {
            foreach (var (first, last) in CopyRanges(source.Size))
            {
                plan.Add((plan.Count + 1, source, first, last));
            }
        }

        if (plan.Count == 0)
        {
            throw new ArgumentException("sources: rule 'not-empty' - the sources hold no bytes; there is nothing to copy.", nameof(sources));
        }

        if (plan.Count > UploadOptions.MaxParts)
        {
            throw new ArgumentException($"sources: rule 'max-parts' - joining them needs {plan.Count} parts, more than {UploadOptions.MaxParts}.", nameof(sources));
        }

        var pipeline = Pipeline(cancellationToken);
        var initiate = new InitiateMultipartUploadRequest { BucketName = settings.Bucket, Key = targetKey, ContentType = ContentTypes.For(targetKey) };
        var uploadId = (await pipeline.ExecuteAsync(async token => await client.InitiateMultipartUploadAsync(initiate, token), cancellationToken)).UploadId;
        var etags = new string[plan.Count];
        try
        {
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (part, token) =>
            {
                var response = await pipeline.ExecuteAsync(async attemptToken => await client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = settings.Bucket,
                    SourceKey = part.Source.Key,
                    DestinationBucket = settings.Bucket,
                    DestinationKey = targetKey,
                    UploadId = uploadId,
                    PartNumber = part.Part,
                    FirstByte = part.First,
                    LastByte = part.Last,
                    // A source rewritten since it was listed must not be joined: S3 answers 412 instead.
                    ETagToMatch = part.Source.ETag is { Length: > 0 } tag ? ["\"" + tag.Trim('"') + "\""] : null,
                }, attemptToken), token);
                etags[part.Part - 1] = response.ETag?.Trim('"') ?? string.Empty;
            });

            await pipeline.ExecuteAsync(async token =>
            {
                try
                {
                    await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                    {
                        BucketName = settings.Bucket,
                        Key = targetKey,
                        UploadId = uploadId,
                        PartETags = plan.Select(p => new PartETag(p.Part, etags[p.Part - 1])).ToList(),
                    }, token);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode == S3ErrorCodes.NoSuchUpload)
                {
                    // An earlier attempt whose answer was lost completed it; verification below decides.
                }
            }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (S3ErrorCodes.IsUnsupported(e))
        {
            logger.LogInformation("The endpoint does not implement UploadPartCopy ({Code}); {Key} must be joined by download and upload", e.ErrorCode, targetKey);
            await TryAbortAsync(targetKey, uploadId);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await TryAbortAsync(targetKey, uploadId);
            throw;
        }

        return await VerifyConcatenationAsync(plan.Select(p => (p.Source, p.First, p.Last)).ToList(), etags, targetKey, cancellationToken);
    }

    /// <summary>
    /// Without reading the bytes back: the size must be the sum of the sources; a part copied from a whole
    /// single-put source must carry that source's MD5 ETag; a composite ETag must be the MD5 of the part ETags.
    /// </summary>
    private async Task<Assembly.ConcatenationResult> VerifyConcatenationAsync(
        List<(StoredObject Source, long First, long Last)> parts, string[] etags, string targetKey, CancellationToken cancellationToken)
    {
        var expectedSize = parts.Sum(p => p.Last - p.First + 1);
        var head = await Pipeline(cancellationToken).ExecuteAsync(async token => await HeadAsync(targetKey, token), cancellationToken)
            ?? throw new UploadVerificationException(targetKey, "the joined object does not exist after completion");
        if (head.Size != expectedSize)
        {
            throw new UploadVerificationException(targetKey, $"the joined object has {head.Size} bytes, the sources {expectedSize}");
        }

        var checks = new List<string> { "size" };
        if (S3ETagMeaning.IsContentMd5(head.Encryption))
        {
            checks.AddRange(CopiedETagChecks(parts, etags, head, targetKey));
        }
        else
        {
            // Under SSE-KMS or SSE-C neither the sources' ETags nor the copies' are MD5s; S3 copied the bytes itself.
            checks.Add($"server-side-copy({head.Encryption})");
        }

        return new Assembly.ConcatenationResult(targetKey, head.Size, parts.Select(p => p.Source.Key).Distinct().Count(),
            Assembly.ConcatenationMethod.ServerSideCopy, string.Join("+", checks), null);
    }

    /// <summary>The ETag checks of a joined object whose ETags are MD5s; throws where one fails.</summary>
    private static List<string> CopiedETagChecks(List<(StoredObject Source, long First, long Last)> parts, string[] etags, StoredObject head, string targetKey)
    {
        var checks = new List<string>();
        var comparable = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var (source, first, last) = parts[i];
            var sourceTag = source.ETag?.Trim('"') ?? string.Empty;
            if (first == 0 && last == source.Size - 1 && IsPlainMd5(sourceTag) && IsPlainMd5(etags[i]))
            {
                if (!string.Equals(sourceTag, etags[i], StringComparison.OrdinalIgnoreCase))
                {
                    throw new UploadVerificationException(targetKey, $"part {i + 1} copied from '{source.Key}' has ETag {etags[i]}, the source {sourceTag}");
                }

                comparable++;
            }
        }

        if (comparable > 0)
        {
            checks.Add($"part-etags({comparable}/{parts.Count})");
        }

        var etag = head.ETag ?? string.Empty;
        if (etag.Contains('-', StringComparison.Ordinal) && etags.All(IsPlainMd5))
        {
#pragma warning disable CA5351 // The S3 composite ETag is defined with MD5.
            var composite = Convert.ToHexStringLower(MD5.HashData(etags.SelectMany(Convert.FromHexString).ToArray())) + "-" + etags.Length;
#pragma warning restore CA5351
            if (!string.Equals(etag, composite, StringComparison.OrdinalIgnoreCase))
            {
                throw new UploadVerificationException(targetKey, $"the joined object's ETag {etag} is not the MD5 of its part ETags ({composite})");
            }

            checks.Add("composite-etag");
        }

        return checks;
    }

    private static bool IsPlainMd5(string etag) => etag.Length == 32 && etag.All(char.IsAsciiHexDigit);

    public void Dispose() => client.Dispose();

    private async Task<UploadResult> UploadMultipartAsync(
        string localPath, string key, FileDigest digest, Polly.ResiliencePipeline pipeline, IProgress<UploadProgress>? progress, CancellationToken cancellationToken)
    {
        var partCount = options.PartCount(digest.Size);
        var state = UploadStateFile.TryLoad(localPath);
        if (state is not null && (state.Destination != StateIdentity || state.Key != key || state.FileSize != digest.Size
            || state.FileSha256 != digest.Sha256Hex || state.PartSize != digest.PartSize))
        {
            logger.LogInformation("Upload state for {Key} does not match the file or settings any more; starting over", key);
            await TryAbortAsync(state.Key, state.UploadId);
            state = null;
        }

        var done = new Dictionary<int, CompletedPart>();
        if (state is not null)
        {
            var reconciled = await ReconcilePartsAsync(state, digest, pipeline, cancellationToken);
            if (reconciled is null)
            {
                state = null;
            }
            else
            {
                foreach (var part in reconciled)
                {
                    done[part.PartNumber] = part;
                }
            }
        }

        if (state is null)
        {
            var initiate = new InitiateMultipartUploadRequest { BucketName = settings.Bucket, Key = key, ContentType = ContentTypes.For(key) };
            initiate.Metadata[Sha256Metadata] = digest.Sha256Hex;
            var started = await pipeline.ExecuteAsync(async token => await client.InitiateMultipartUploadAsync(initiate, token), cancellationToken);
            state = new UploadState
            {
                Destination = StateIdentity,
                Key = key,
                UploadId = started.UploadId,
                FileSize = digest.Size,
                FileSha256 = digest.Sha256Hex,
                PartSize = digest.PartSize,
            };
        }

        state.Parts.Clear();
        state.Parts.AddRange(done.Values.OrderBy(p => p.PartNumber));
        UploadStateFile.Save(localPath, state);
        var resumed = done.Count;
        var bytesDone = done.Values.Sum(p => p.Size);
        if (resumed > 0)
        {
            logger.LogInformation("Resuming upload of {Key}: {Resumed} of {Count} parts already stored", key, resumed, partCount);
        }

        var gate = new object();
        var remaining = Enumerable.Range(1, partCount).Where(n => !done.ContainsKey(n)).ToList();
        await Parallel.ForEachAsync(remaining, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (partNumber, token) =>
        {
            var (offset, length) = digest.PartBounds(partNumber);
            var md5 = digest.PartMd5s[partNumber - 1];
            var md5Hex = Convert.ToHexStringLower(md5);
            var etag = await pipeline.ExecuteAsync(async attemptToken =>
            {
                var response = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = settings.Bucket,
                    Key = key,
                    UploadId = state.UploadId,
                    PartNumber = partNumber,
                    FilePath = localPath,
                    FilePosition = offset,
                    PartSize = length,
                    IsLastPart = partNumber == partCount,
                    MD5Digest = Convert.ToBase64String(md5),
                    UseChunkEncoding = settings.EffectiveChunkEncoding,
                }, attemptToken);
                CheckPartETag(key, partNumber, response.ETag, md5Hex, S3ETagMeaning.Encryption(response.ServerSideEncryptionMethod, response.SSECustomerAlgorithm));
                return response.ETag;
            }, token);

            UploadProgress report;
            lock (gate)
            {
                state.Parts.Add(new CompletedPart(partNumber, etag, md5Hex, length));
                UploadStateFile.Save(localPath, state);
                bytesDone += length;
                report = new UploadProgress(key, partNumber, state.Parts.Count, partCount, bytesDone, digest.Size);
            }

            progress?.Report(report);
        });

        var parts = state.Parts.OrderBy(p => p.PartNumber).Select(p => new PartETag(p.PartNumber, p.ETag)).ToList();
        var completeAttempts = 0;
        await pipeline.ExecuteAsync(async token =>
        {
            if (++completeAttempts > 1 && await IsAlreadyStoredAsync(key, digest, token))
            {
                // An earlier Complete succeeded but its answer was lost; completing again is at best an error
                // (NoSuchUpload on AWS) and at worst destructive (s3rver rewrites the object empty).
                return;
            }

            try
            {
                await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = settings.Bucket,
                    Key = key,
                    UploadId = state.UploadId,
                    PartETags = parts,
                }, token);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == S3ErrorCodes.NoSuchUpload)
            {
                // An earlier attempt (whose answer was lost) completed it; verification below decides.
                logger.LogInformation("Complete of {Key} answered NoSuchUpload; verifying the stored object", key);
            }
        }, cancellationToken);

        try
        {
            var result = await VerifyAsync(key, digest, multipart: true, resumed, cancellationToken);
            UploadStateFile.Delete(localPath);
            return result;
        }
        catch (UploadVerificationException)
        {
            // The stored object is not our file: the next attempt must start a fresh upload, not trust these parts.
            UploadStateFile.Delete(localPath);
            throw;
        }
    }

    /// <summary>
    /// The parts of an earlier run still usable: from ListParts where the endpoint has it (adopting parts
    /// stored after the state was last saved), else from the state file. Null when the upload is gone.
    /// </summary>
    private async Task<List<CompletedPart>?> ReconcilePartsAsync(UploadState state, FileDigest digest, Polly.ResiliencePipeline pipeline, CancellationToken cancellationToken)
    {
        // A listed part is ours if its ETag is our MD5 of that part, or (where ETags are not MD5s: SSE-KMS, SSE-C) the very
        // ETag S3 answered when it accepted that part with our Content-MD5, as the state file recorded it.
        bool Matches(int number, string etag)
        {
            if (number < 1 || number > digest.PartMd5s.Count)
            {
                return false;
            }

            var md5Hex = Convert.ToHexStringLower(digest.PartMd5s[number - 1]);
            var tag = etag.Trim('"');
            return string.Equals(tag, md5Hex, StringComparison.OrdinalIgnoreCase)
                || state.Parts.Any(p => p.PartNumber == number && p.Md5Hex == md5Hex && string.Equals(p.ETag.Trim('"'), tag, StringComparison.Ordinal));
        }

        try
        {
            var stored = new List<CompletedPart>();
            int? marker = null;
            while (true)
            {
                var page = await pipeline.ExecuteAsync(async token => await client.ListPartsAsync(new ListPartsRequest
                {
                    BucketName = settings.Bucket,
                    Key = state.Key,
                    UploadId = state.UploadId,
                    PartNumberMarker = marker?.ToString(),
                }, token), cancellationToken);
                foreach (var part in page.Parts ?? [])
                {
                    var number = part.PartNumber ?? 0;
                    if (Matches(number, part.ETag) && part.Size == digest.PartBounds(number).Length)
                    {
                        stored.Add(new CompletedPart(number, part.ETag, Convert.ToHexStringLower(digest.PartMd5s[number - 1]), part.Size ?? 0));
                    }
                }

                // A store that answers "truncated" without a marker past the last one would have this loop ask for the same page
                // for ever: the parts listed so far are kept, and those not seen are sent again.
                if (page.IsTruncated != true || page.NextPartNumberMarker is not { } next || next <= (marker ?? 0))
                {
                    return stored;
                }

                marker = next;
            }
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == S3ErrorCodes.NoSuchUpload)
        {
            return null;
        }
        catch (AmazonS3Exception e) when (S3ErrorCodes.IsUnsupported(e))
        {
            return state.Parts.Where(p => Matches(p.PartNumber, p.ETag) && p.Size == digest.PartBounds(p.PartNumber).Length).ToList();
        }
    }

    private async Task<UploadResult> VerifyAsync(string key, FileDigest digest, bool multipart, int resumed, CancellationToken cancellationToken)
    {
        var head = await Pipeline(cancellationToken).ExecuteAsync(async token => await HeadAsync(key, token), cancellationToken)
            ?? throw new UploadVerificationException(key, "the object does not exist after the upload");
        if (head.Size != digest.Size)
        {
            throw new UploadVerificationException(key, $"stored size {head.Size} differs from the local {digest.Size} bytes");
        }

        if (head.Sha256 is not null && !string.Equals(head.Sha256, digest.Sha256Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadVerificationException(key, "the stored SHA-256 metadata differs from the local file's");
        }

        var checks = new List<string> { "size" };
        var etag = head.ETag ?? string.Empty;
        var opaque = !S3ETagMeaning.IsContentMd5(head.Encryption);
        var md5Like = !opaque && System.Text.RegularExpressions.Regex.IsMatch(etag, "^[0-9a-fA-F]{32}(-[0-9]+)?$");
        if (opaque)
        {
            // Under SSE-KMS or SSE-C the ETag says nothing of the bytes, but S3 checked every request's Content-MD5 and the
            // object is made of the parts it accepted: that is the check, without reading the object back.
            checks.Add($"content-md5({head.Encryption})");
        }
        else if (md5Like)
        {
            // AWS gives a multipart object the MD5 of its part MD5s; simpler stores (s3rver) the MD5 of the whole.
            var expected = multipart ? new[] { digest.Md5Hex, digest.MultipartETag } : [digest.Md5Hex];
            if (!expected.Contains(etag, StringComparer.OrdinalIgnoreCase))
            {
                throw new UploadVerificationException(key, $"stored ETag {etag} matches neither the MD5 of the file nor of its parts");
            }

            checks.Add(etag.Contains('-', StringComparison.Ordinal) ? "etag(md5 of part md5s)" : "etag(md5)");
        }

        if (head.Sha256 is not null)
        {
            checks.Add("sha256-metadata");
        }

        if (options.VerifyByReadBack || !(md5Like || opaque))
        {
            await using var stream = await OpenReadAsync(key, null, cancellationToken);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (sha != digest.Sha256Hex)
            {
                throw new UploadVerificationException(key, "the SHA-256 of the bytes read back differs from the local file's");
            }

            checks.Add("read-back-sha256");
        }

        return new UploadResult(key, digest.Size, digest.Sha256Hex, Verified: true, string.Join("+", checks),
            multipart ? digest.PartMd5s.Count : 1, resumed, etag);
    }

    private async Task<bool> IsAlreadyStoredAsync(string key, FileDigest digest, CancellationToken cancellationToken)
    {
        var head = await HeadAsync(key, cancellationToken);
        return head is not null && head.Size == digest.Size
            && string.Equals(head.Sha256, digest.Sha256Hex, StringComparison.OrdinalIgnoreCase)
            && (!S3ETagMeaning.IsContentMd5(head.Encryption)
                || string.Equals(head.ETag, digest.Md5Hex, StringComparison.OrdinalIgnoreCase) || string.Equals(head.ETag, digest.MultipartETag, StringComparison.OrdinalIgnoreCase));
    }

    private static void CheckPartETag(string key, int partNumber, string? etag, string md5Hex, string? encryption)
    {
        var actual = etag?.Trim('"') ?? string.Empty;
        if (actual.Length == 0)
        {
            // Seen through a lossy connection: an answer without an ETag cannot be completed, so the part is sent again.
            throw new PartIntegrityException(key, partNumber, md5Hex, "(no ETag)");
        }

        // An ETag that is not the MD5 (SSE-KMS or SSE-C on AWS, or no MD5 in hex at all) cannot be compared; Content-MD5 was
        // still checked by the store.
        if (S3ETagMeaning.IsContentMd5(encryption) && IsPlainMd5(actual) && !string.Equals(actual, md5Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new PartIntegrityException(key, partNumber, md5Hex, actual);
        }
    }

    private async Task TryAbortAsync(string key, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = settings.Bucket, Key = key, UploadId = uploadId });
        }
        catch (AmazonS3Exception e)
        {
            logger.LogInformation("Could not abort stale upload of {Key}: {Code}", key, e.ErrorCode);
        }
    }

    private Polly.ResiliencePipeline Pipeline(CancellationToken cancellationToken) => RetryPipelines.Create(options, cancellationToken, e =>
    {
        Interlocked.Increment(ref retries);
        logger.LogDebug("Retrying S3 request after {Error}", e.GetType().Name + ": " + e.Message);
    });

#pragma warning disable CA5351 // Content-MD5 is the protocol's checksum, not a security use.
    private static byte[] Md5(ReadOnlySpan<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351
}
