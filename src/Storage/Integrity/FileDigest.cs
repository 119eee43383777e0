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
        // Two buffers: the next chunk is read while this one is hashed, and SHA-256 runs beside the two MD5s,
        // so a digest costs about one hash pass of wall time instead of three (it precedes every upload).
        var buffers = new[] { new byte[ChunkSize], new byte[ChunkSize] };
        long size = 0, inPart = 0;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        var current = 0;
        var read = await stream.ReadAsync(buffers[current].AsMemory(0, NextLength(partSize, inPart)), cancellationToken);
        while (read > 0)
        {
            var chunk = buffers[current];
            var length = read;
            var hashing = Task.WhenAll(
                Task.Run(() => sha.AppendData(chunk, 0, length), cancellationToken),
                Task.Run(() =>
                {
                    md5.AppendData(chunk, 0, length);
                    partMd5.AppendData(chunk, 0, length);
                }, cancellationToken));
            size += length;
            inPart += length;
            var partDone = inPart == partSize;
            if (partDone)
            {
                inPart = 0;
            }

            current ^= 1;
            var next = stream.ReadAsync(buffers[current].AsMemory(0, NextLength(partSize, inPart)), cancellationToken);
            await hashing;
            if (partDone)
            {
                parts.Add(partMd5.GetHashAndReset());
            }

            read = await next;
        }

        if (inPart > 0 || parts.Count == 0)
        {
            parts.Add(partMd5.GetHashAndReset());
        }

        return new FileDigest(size, Convert.ToHexStringLower(sha.GetHashAndReset()), md5.GetHashAndReset(), parts, partSize);
    }

    private const int ChunkSize = 4 << 20;

    public string Md5Hex => Convert.ToHexStringLower(Md5);

    /// <summary>The ETag S3 gives a completed multipart upload: MD5 of the concatenated binary part MD5s, "-" and the part count.</summary>
    // MD5 is not used for security here: it is the checksum the S3 and Blob protocols define (Content-MD5, ETag).
#pragma warning disable CA5351
    public string MultipartETag => Convert.ToHexStringLower(MD5.HashData(PartMd5s.SelectMany(m => m).ToArray())) + "-" + PartMd5s.Count;
#pragma warning restore CA5351

    /// <summary>A read never crosses a part boundary, so each part's MD5 ends exactly at its last byte.</summary>
    private static int NextLength(long partSize, long inPart) => (int)Math.Min(ChunkSize, partSize - inPart);

    /// <summary>Byte offset and length of a 1-based part.</summary>
    public (long Offset, long Length) PartBounds(int partNumber)
    {
        var offset = (partNumber - 1) * PartSize;
        return (offset, Math.Min(PartSize, Size - offset));
    }
}
