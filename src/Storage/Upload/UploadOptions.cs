namespace Recording.Storage.Upload;

/// <summary>How uploads are cut, retried and verified. Validated by <see cref="Validate"/>; defaults suit segments of minutes.</summary>
public sealed record UploadOptions
{
    public const long MiB = 1024 * 1024;

    /// <summary>S3 caps a multipart upload at 10,000 parts.</summary>
    public const int MaxParts = 10_000;

    /// <summary>Files of at least this size go multipart (at least 5 MiB, S3's minimum part size).</summary>
    public long MultipartThreshold { get; init; } = 16 * MiB;

    /// <summary>Part (block) size, 8 to 64 MiB; raised for a file too large for <see cref="MaxParts"/> of them (<see cref="PartSizeFor"/>).</summary>
    public long PartSize { get; init; } = 16 * MiB;

    /// <summary>Parts sent at once, 1 to 32.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Retries per request (per part) after the first attempt.</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>First backoff delay; doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Time limit of one request attempt (one part); a slower attempt is cancelled and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After completion, read the whole object back and compare its SHA-256 (costs a download). Off by default:
    /// size, the stored SHA-256 metadata and the ETag (MD5, or the MD5 of part MD5s) are compared instead.
    /// </summary>
    public bool VerifyByReadBack { get; init; }

    /// <summary>
    /// The handler every request to the store goes through, shared so that its connections are pooled; the host gives one
    /// that connects to public addresses only when a template may name the endpoint. Null: each SDK's own transport.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Throws naming the setting and the rule when out of range.</summary>
    public UploadOptions Validate()
    {
        if (PartSize is < 8 * MiB or > 64 * MiB)
        {
            throw new ArgumentOutOfRangeException(nameof(PartSize), PartSize, "partSize: rule 'range' - must be 8 to 64 MiB.");
        }

        if (MultipartThreshold < 5 * MiB)
        {
            throw new ArgumentOutOfRangeException(nameof(MultipartThreshold), MultipartThreshold, "multipartThreshold: rule 'min' - must be at least 5 MiB (S3's minimum part size).");
        }

        if (Concurrency is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "concurrency: rule 'range' - must be 1 to 32.");
        }

        if (MaxRetries is < 0 or > 50)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "maxRetries: rule 'range' - must be 0 to 50.");
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), RetryBaseDelay, "retryBaseDelay: rule 'positive' - must be > 0 and <= retryMaxDelay.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "requestTimeout: rule 'positive' - must be > 0.");
        }

        return this;
    }

    /// <summary>S3's largest part (5 GiB), which with <see cref="MaxParts"/> bounds what one upload can carry (about 48.8 TiB; S3 itself stores up to 5 TiB).</summary>
    public const long MaxPartSize = 5L * 1024 * MiB;

    /// <summary>
    /// The part size for a file of <paramref name="size"/> bytes: <see cref="PartSize"/>, or for a file that would need more
    /// than <see cref="MaxParts"/> of those (above 156 GiB at the default 16 MiB: a long 4K recording), the smallest whole
    /// number of MiB that fits it in <see cref="MaxParts"/>, as the AWS CLI raises its chunk size.
    /// </summary>
    public long PartSizeFor(long size)
    {
        var fitting = (((size + MaxParts - 1) / MaxParts) + MiB - 1) / MiB * MiB;
        var partSize = Math.Max(PartSize, fitting);
        if (partSize > MaxPartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"file: rule 'max-size' - {size} bytes need more than {MaxParts} parts of {MaxPartSize} bytes, S3's largest.");
        }

        return partSize;
    }

    /// <summary>Number of parts for a file of <paramref name="size"/> bytes, cut at <see cref="PartSizeFor"/>.</summary>
    public int PartCount(long size)
    {
        var partSize = PartSizeFor(size);
        return (int)Math.Max(1, (size + partSize - 1) / partSize);
    }
}
