namespace Recording.Storage.Destinations;

/// <summary>
/// What a destination knows of one stored object. <see cref="Sha256"/> is the hex digest our uploader stored as metadata, if
/// any; <see cref="Encryption"/> the server-side encryption the store reported ("aws:kms", "AES256"), where it says.
/// </summary>
public sealed record StoredObject(string Key, long Size, DateTimeOffset? LastModified, string? ETag, string? ContentType = null, string? Sha256 = null, string? Encryption = null);
