using System.Security.Cryptography;
using Recording.Storage.Integrity;
using Recording.Storage.Tests.Support;

namespace Recording.Storage.Tests.Integrity;

/// <summary>The one-pass digest agrees with the framework's hashes of the whole file and of each part.</summary>
public sealed class FileDigestTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(8 * MiB)]
    [InlineData(2 * 8 * MiB + 5)]
    public async Task Compute_MatchesSha256AndMd5_OfTheFileAndOfEachPart(long size)
    {
        using var files = new TestFiles();
        var path = files.Create(size, seed: 77);
        var bytes = await File.ReadAllBytesAsync(path);

        var digest = await FileDigest.ComputeAsync(path, 8 * MiB);

        Assert.Equal(size, digest.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), digest.Sha256Hex);
#pragma warning disable CA5351 // the protocols' checksum, compared here
        Assert.Equal(MD5.HashData(bytes), digest.Md5);
        var expectedParts = Enumerable.Range(0, (int)Math.Max(1, (size + (8 * MiB) - 1) / (8 * MiB)))
            .Select(i => MD5.HashData(bytes.AsSpan((int)(i * 8 * MiB), (int)Math.Min(8 * MiB, size - (i * 8 * MiB))))).ToList();
#pragma warning restore CA5351
        Assert.Equal(expectedParts, digest.PartMd5s);
    }
}
