using Recording.Media.Capture;
using Recording.Media.Probing;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>
/// SRT: the source is an ffmpeg SRT listener (MPEG-TS), the capture calls it. RTSP has no test: ffmpeg cannot serve
/// RTSP for playback without a server, and none (mediamtx or the like) is installed here.
/// </summary>
public sealed class SrtCaptureTests
{
    [Fact]
    public async Task Capture_SrtCaller_GivesFmp4SegmentsWithH264AndAac()
    {
        var port = FreePort.Next();
        await using var source = SyntheticSource.Start($"srt://127.0.0.1:{port}?mode=listener", new SyntheticSourceOptions { Muxer = "mpegts" });
        await using var capture = await RunningCapture.StartAsync($"srt://127.0.0.1:{port}?mode=caller&latency=200000", RunningCapture.DefaultOptions("srt", TimeSpan.FromSeconds(2)));

        await capture.WaitForSegmentsAsync(2, TimeSpan.FromSeconds(60));
        var result = await capture.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CaptureExitReason.Stopped, result.Reason);
        Assert.True(result.Manifest.Segments.Count >= 2);
        Assert.DoesNotContain("latency", result.Manifest.Source, StringComparison.Ordinal);
        foreach (var segment in result.Manifest.Segments)
        {
            var media = await new MediaProbe().ProbeAsync(Path.Combine(capture.Options.OutputDirectory, segment.File));
            Assert.Equal("h264", media.Streams.VideoCodec);
            Assert.Equal("aac", media.Streams.AudioCodec);
            // The last segment holds only what came between its opening and the stop.
            Assert.True(media.Duration.TotalSeconds > (segment == result.Manifest.Segments[^1] ? 0 : 1.5), $"{segment.File}: {media.Duration}");
        }
    }
}
