using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.Media.Sources;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>Maximum duration, minimum free disk and maximum segment size end or rotate a capture cleanly.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task Capture_LimitsOnOneStream_StopOnMaxDurationAndRotateOnSize()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        var url = server.UrlFor("limits");
        await using var source = SyntheticSource.Start(url);
        await using var timed = await RunningCapture.StartAsync(url, RunningCapture.DefaultOptions("max-duration", TimeSpan.FromSeconds(60)) with { MaxDuration = TimeSpan.FromSeconds(6) });
        // 400 kbit/s is ~50 KB/s: a 128 KiB limit rotates every ~2.5 s, well before the 60 s segment length.
        await using var sized = await RunningCapture.StartAsync(url, RunningCapture.DefaultOptions("size", TimeSpan.FromSeconds(60)) with { MaxSegmentBytes = 128 * 1024, MonitorInterval = TimeSpan.FromMilliseconds(200) });

        var result = await timed.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        await sized.WaitForSegmentsAsync(2, TimeSpan.FromSeconds(60));
        var sizedResult = await sized.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CaptureExitReason.MaxDuration, result.Reason);
        var only = Assert.Single(result.Manifest.Segments);
        Assert.Equal(SegmentEndReason.MaxDuration, only.EndReason);
        Assert.InRange(only.DurationSeconds, 1, 8);

        Assert.True(sizedResult.Manifest.Segments.Count >= 2);
        Assert.Equal(SegmentEndReason.SizeLimit, sizedResult.Manifest.Segments[0].EndReason);
        Assert.Empty(sizedResult.Manifest.Gaps);
        Assert.DoesNotContain(sized.Events, e => e is SourceLost);
    }

    [Fact]
    public async Task Capture_FreeDiskBelowMinimum_ExitsDiskLowWithoutStartingFfmpeg()
    {
        var counting = new CountingFfmpegRunner();
        var source = SourcePolicy.ParseAndCheckScheme("rtmp://127.0.0.1:1/live/x");
        var options = RunningCapture.DefaultOptions("disk", TimeSpan.FromSeconds(2)) with { MinFreeDiskBytes = long.MaxValue };
        using var session = new CaptureSession(source, options, counting);

        var result = await session.RunAsync();

        Assert.Equal(CaptureExitReason.DiskLow, result.Reason);
        Assert.Equal(0, counting.Starts);
        Assert.Equal(CaptureExitReason.DiskLow, (await ManifestFile.ReadAsync(options.OutputDirectory)).ExitReason);
    }
}
