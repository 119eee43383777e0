namespace Recording.Storage.Upload;

/// <summary>A store acknowledged a part with a checksum other than the one sent: the part is sent again.</summary>
public sealed class PartIntegrityException(string key, int partNumber, string expected, string actual)
    : IOException($"Part {partNumber} of '{key}' was stored with checksum {actual}, expected {expected}.")
{
    public int PartNumber { get; } = partNumber;
}
