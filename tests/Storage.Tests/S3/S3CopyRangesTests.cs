using Recording.Storage.S3;

namespace Recording.Storage.Tests.S3;

/// <summary>How a source is cut for UploadPartCopy: every range within S3's part limits, the whole source in order.</summary>
public sealed class S3CopyRangesTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    [Theory]
    [InlineData(1L, 1)]
    [InlineData(5 * GiB, 1)]
    [InlineData((5 * GiB) + MiB, 2)] // in 5 GiB pieces the second would be 1 MiB, under S3's minimum for a part that is not the last
    [InlineData(12 * GiB, 3)]
    public void CopyRanges_CoverTheSourceInOrder_EachWithinS3sPartLimits(long size, int count)
    {
        var ranges = S3StorageDestination.CopyRanges(size).ToList();

        Assert.Equal(count, ranges.Count);
        Assert.Equal(0, ranges[0].First);
        Assert.Equal(size - 1, ranges[^1].Last);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.Last + 1, pair.Second.First));
        Assert.All(ranges, r => Assert.InRange(r.Last - r.First + 1, Math.Min(size, S3StorageDestination.MinPartSize), S3StorageDestination.MaxCopyPartSize));
    }

    [Fact]
    public void CopyRanges_OfAnEmptySource_AreNone() => Assert.Empty(S3StorageDestination.CopyRanges(0));
}
