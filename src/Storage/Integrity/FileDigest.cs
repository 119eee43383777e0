using System.Security.Cryptography;

namespace Recording.Storage.Integrity;

/// <summary>
/// Digests of a local file computed in one pass: SHA-256 (what we store and report), MD5 of the whole
/// file (a single PUT's ETag) and MD5 of each part (Content-MD5 of each part and its expected ETag).
/// </summary>
public sealed record FileDigest(long Size, string Sha256Hex, byte[] Md5, IReadOnlyList<byte[]> PartMd5s, long PartSize)
{
    public static async Task<FileDigest> ComputeAsync(string path, long partSize, CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var parts = new List<byte[]>();
        using var partMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 20];
        long size = 0, inPart = 0;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, partSize - inPart)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            var span = buffer.AsSpan(0, read);
            sha.AppendData(span);
            md5.AppendData(span);
            partMd5.AppendData(span);
            size += read;
            inPart += read;
            if (inPart == partSize)
            {
                parts.Add(partMd5.GetHashAndReset());
                inPart = 0;
            }
        }

        if (inPart > 0 || parts.Count == 0)
        {
            parts.Add(partMd5.GetHashAndReset());
        }

        return new FileDigest(size, Convert.ToHexStringLower(sha.GetHashAndReset()), md5.GetHashAndReset(), parts, partSize);
    }

    public string Md5Hex => Convert.ToHexStringLower(Md5);

    /// <summary>The ETag S3 gives a completed multipart upload: MD5 of the concatenated binary part MD5s, "-" and the part count.</summary>
    // MD5 is not used for security here: it is the checksum the S3 and Blob protocols define (Content-MD5, ETag).
#pragma warning disable CA5351
    public string MultipartETag => Convert.ToHexStringLower(MD5.HashData(PartMd5s.SelectMany(m => m).ToArray())) + "-" + PartMd5s.Count;
#pragma warning restore CA5351

    /// <summary>Byte offset and length of a 1-based part.</summary>
    public (long Offset, long Length) PartBounds(int partNumber)
    {
        var offset = (partNumber - 1) * PartSize;
        return (offset, Math.Min(PartSize, Size - offset));
    }
}
