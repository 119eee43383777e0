namespace Recording.Storage.Upload;

/// <summary>
/// The outcome of an upload. Only a result with <see cref="Verified"/> = true may release the local file
/// (see <see cref="LocalFileRelease"/>). <see cref="Verification"/> says what was checked.
/// </summary>
public sealed record UploadResult(
    string Key,
    long Bytes,
    string Sha256,
    bool Verified,
    string Verification,
    int PartCount,
    int PartsResumed,
    string? ETag);
