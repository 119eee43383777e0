namespace Recording.Storage.Upload;

/// <summary>The completed object does not match the local file (size, ETag or SHA-256): the local file must be kept.</summary>
public sealed class UploadVerificationException(string key, string detail)
    : IOException($"Upload of '{key}' failed verification: {detail}")
{
    public string Key { get; } = key;
}
