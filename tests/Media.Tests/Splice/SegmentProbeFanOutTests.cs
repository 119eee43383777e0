using Recording.Media.Clip;
using Recording.Media.Manifest;
using Recording.Media.Splice;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;

namespace Recording.Media.Tests.Splice;

/// <summary>
/// A splice or clip probes every segment of the manifest, but never more than <see cref="FfprobeReader.MaxConcurrentProbes"/>
/// ffprobes at once: a long recording in short segments must not start one process per segment.
/// </summary>
public sealed class SegmentProbeFanOutTests
{
    // More segments than the bound, so that probing them all at once would exceed it.
    private static readonly int SegmentCount = FfprobeReader.MaxConcurrentProbes + 6;

    [Fact]
    public async Task Splice_OfMoreSegmentsThanTheBound_ProbesThemAllButNeverMoreAtOnce()
    {
        var (folder, counting) = await SegmentsWithCountingFfprobeAsync();
        var output = Path.Combine(folder, "spliced.mp4");

        var result = await new SegmentSplicer(counting.Options).SpliceAsync(new SpliceRequest(Path.Combine(folder, "manifest.json"), output));

        Assert.Equal((await ManifestFile.ReadAsync(folder)).TotalDurationSeconds, result.Output.Duration.TotalSeconds, 0.2);
        Assert.True((await new DecodeCheck().RunAsync(output)).IsClean);
        AssertBounded(counting);
    }

    [Fact]
    public async Task Clip_OfMoreSegmentsThanTheBound_ProbesThemAllButNeverMoreAtOnce()
    {
        var (folder, counting) = await SegmentsWithCountingFfprobeAsync();
        var output = Path.Combine(folder, "clip.mp4");

        // A range that touches every segment, so that the clip probes them all.
        var result = await new KeyframeClipper(counting.Options).ClipAsync(new ClipRequest(Path.Combine(folder, "manifest.json"), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(SegmentCount - 0.5), output));

        Assert.Equal(0, result.ActualFrom.TotalSeconds, 0.05);
        Assert.InRange(result.Output.Duration.TotalSeconds, SegmentCount - 0.5 - 0.2, SegmentCount - 0.5 + 0.2);
        AssertBounded(counting);
    }

    private static void AssertBounded(CountingFfprobe counting)
    {
        var running = counting.RunningAtEachStart();
        Assert.True(running.Count >= SegmentCount, $"expected at least {SegmentCount} ffprobe runs through the wrapper, saw {running.Count}");
        Assert.True(running.Max() <= FfprobeReader.MaxConcurrentProbes, $"up to {running.Max()} ffprobes ran at once; the bound is {FfprobeReader.MaxConcurrentProbes}");
    }

    private static async Task<(string Folder, CountingFfprobe Counting)> SegmentsWithCountingFfprobeAsync()
    {
        var folder = TestMedia.NewFolder("probe-fan-out-");
        await TestMedia.OneSecondSegmentsAsync(folder, SegmentCount);
        return (folder, await CountingFfprobe.CreateAsync());
    }
}
