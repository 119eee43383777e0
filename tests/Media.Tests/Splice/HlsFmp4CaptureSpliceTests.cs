using Recording.Media.Capture;
using Recording.Media.Clip;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.Media.Splice;
using Recording.Media.Tests.Capture;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Media.Tests.Splice;

/// <summary>
/// An HLS capture with fMP4 segments: each .m4s holds no codec setup (that is in the run's init segment) and keeps its
/// place on the run's timeline. Spliced and clipped like any other capture, by stream copy.
/// </summary>
public sealed class HlsFmp4CaptureSpliceTests
{
    [Fact]
    public async Task SpliceAndClip_OfAnHlsFmp4Capture_CopyTheSegmentsBehindTheirInit()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("hls-fmp4"));
        var options = RunningCapture.DefaultOptions("hls-fmp4-splice", TimeSpan.FromSeconds(2)) with { Format = SegmentFormat.Hls, HlsSegmentType = HlsSegmentType.Fmp4 };
        await using var capture = await RunningCapture.StartAsync(server.UrlFor("hls-fmp4"), options);
        await capture.WaitForSegmentsAsync(4, TimeSpan.FromSeconds(60));
        var stopped = await capture.StopAsync(TimeSpan.FromSeconds(30));
        var manifest = stopped.Manifest;
        Assert.True(manifest.Segments.Count >= 4, $"{manifest.Segments.Count} segments");
        Assert.All(manifest.Segments, s => Assert.NotNull(s.InitFile));
        var folder = capture.Options.OutputDirectory;
        var output = Directory.CreateTempSubdirectory("hls-fmp4-out-").FullName;

        var spliced = await new SegmentSplicer().SpliceAsync(new SpliceRequest(folder, Path.Combine(output, "spliced.mp4")));

        Assert.Equal(StreamHandling.Copied, spliced.Output.Encoding.Video);
        Assert.Equal(StreamHandling.Copied, spliced.Output.Encoding.Audio);
        Assert.Equal(manifest.TotalDurationSeconds, spliced.Output.Duration.TotalSeconds, 0.3);
        var decode = await new DecodeCheck().RunAsync(spliced.Output.Path);
        Assert.True(decode.IsClean, string.Join("; ", decode.Errors));

        // A range across the second and third segments: starts on the keyframe at or before 2.5 s (a keyframe a second).
        var clipped = await new KeyframeClipper().ClipAsync(new ClipRequest(folder, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5.5), Path.Combine(output, "clip.mp4")));

        Assert.True(clipped.Output.Encoding.IsCopy, clipped.Output.Encoding.Reason);
        Assert.InRange(clipped.Output.Duration.TotalSeconds, 3 - 0.1, 4 + 0.1);
        Assert.InRange(clipped.ActualFrom.TotalSeconds, 1.5 - 0.1, 2.5 + 0.01);
        Assert.True((await new DecodeCheck().RunAsync(clipped.Output.Path)).IsClean);

        // The recording itself is as it was: nothing was written next to its segments.
        Assert.Equal(
            manifest.Segments.Select(s => s.File).Concat(manifest.Segments.Select(s => s.InitFile!)).Distinct().Order(StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n!.EndsWith(".m4s", StringComparison.Ordinal) || n.StartsWith("init_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }
}
