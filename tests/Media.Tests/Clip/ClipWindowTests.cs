using Recording.Media.Clip;
using Recording.Media.Manifest;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;

namespace Recording.Media.Tests.Clip;

/// <summary>
/// A clip probes only the segments around its range, found from the manifest's durations, and reads every segment
/// where those durations are not its files'.
/// </summary>
public sealed class ClipWindowTests
{
    private const int SegmentCount = 12;

    [Fact]
    public async Task Clip_OfARangeInTheMiddle_ProbesOnlyTheSegmentsAroundIt()
    {
        var folder = TestMedia.NewFolder("clip-window-");
        var files = await TestMedia.OneSecondSegmentsAsync(folder, SegmentCount);
        var counting = await CountingFfprobe.CreateAsync();

        var result = await ClipAsync(folder, counting);

        var touched = result.SegmentIndexes;
        var probed = counting.ProbedFiles().Where(files.Contains).Distinct().Select(f => files.IndexOf(f)).Order().ToList();
        Assert.Superset(touched.ToHashSet(), probed.ToHashSet());
        Assert.All(probed, index => Assert.InRange(index, touched.Min() - 1, touched.Max() + 1));
        Assert.DoesNotContain(0, probed);
        Assert.DoesNotContain(SegmentCount - 1, probed);
    }

    [Fact]
    public async Task Clip_WhenTheManifestsDurationsAreNotItsFiles_ReadsEverySegmentAndCutsTheSameRange()
    {
        var folder = TestMedia.NewFolder("clip-window-wrong-");
        var files = await TestMedia.OneSecondSegmentsAsync(folder, SegmentCount);
        var expected = await ClipAsync(folder, await CountingFfprobe.CreateAsync());
        // Halved: by these durations the range would lie in the last segments.
        var manifest = await ManifestFile.ReadAsync(ManifestFile.PathIn(folder));
        await ManifestFile.WriteAsync(folder, manifest with { Segments = [.. manifest.Segments.Select(s => s with { DurationSeconds = s.DurationSeconds / 2 })] });
        var counting = await CountingFfprobe.CreateAsync();

        var result = await ClipAsync(folder, counting);

        Assert.Equal(expected.SegmentIndexes, result.SegmentIndexes);
        Assert.Equal(expected.ActualFrom.TotalSeconds, result.ActualFrom.TotalSeconds, 0.01);
        Assert.Equal(expected.Output.Duration.TotalSeconds, result.Output.Duration.TotalSeconds, 0.01);
        Assert.Equal(files, counting.ProbedFiles().Where(files.Contains).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>[5.3 s, 7.2 s): from the keyframe at or before 5.3 s (one a second), by stream copy, decoding clean.</summary>
    private static async Task<ClipResult> ClipAsync(string folder, CountingFfprobe counting)
    {
        var output = Path.Combine(TestMedia.NewFolder("clip-window-out-"), "clip.mp4");
        var result = await new KeyframeClipper(counting.Options).ClipAsync(new ClipRequest(folder, TimeSpan.FromSeconds(5.3), TimeSpan.FromSeconds(7.2), output));

        Assert.True(result.Output.Encoding.IsCopy, result.Output.Encoding.Reason);
        Assert.InRange(result.ActualFrom.TotalSeconds, 5.3 - 1.1, 5.3);
        Assert.Equal(7.2 - result.ActualFrom.TotalSeconds, result.Output.Duration.TotalSeconds, 0.2);
        Assert.True((await new DecodeCheck().RunAsync(output)).IsClean);
        return result;
    }
}
