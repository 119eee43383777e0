namespace Recording.Storage.Upload;

/// <summary>
/// What an interrupted multipart upload needs to continue: kept beside the local file as `&lt;file&gt;.upload.json`.
/// <see cref="FileSha256"/> ties it to the exact bytes, so a changed file starts over instead of mixing parts.
/// </summary>
public sealed record UploadState
{
    public required string Destination { get; init; }

    public required string Key { get; init; }

    public required string UploadId { get; init; }

    public required long FileSize { get; init; }

    public required string FileSha256 { get; init; }

    public required long PartSize { get; init; }

    public List<CompletedPart> Parts { get; init; } = [];
}

/// <summary>One part the store has acknowledged: its number, the ETag (or block id) it answered and the MD5 we sent.</summary>
public sealed record CompletedPart(int PartNumber, string ETag, string Md5Hex, long Size);
