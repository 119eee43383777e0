using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>Breakpoint resumption: the source stops for 5 s inside a 30 s window and the same recording continues.</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task Capture_SourceAwayFor5SecondsWithin30SecondWindow_ContinuesTheSameRecordingWithOneGap()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        var url = server.UrlFor("flaky");
        var source = SyntheticSource.Start(url);
        // nginx-rtmp keeps a player connected after its publisher dies: the loss is noticed by the capture's heartbeat.
        CaptureOptions Flaky(string name) => RunningCapture.DefaultOptions(name, TimeSpan.FromSeconds(3)) with
        {
            ResumeWindow = TimeSpan.FromSeconds(30),
            SourceReadTimeout = TimeSpan.FromSeconds(2),
            MonitorInterval = TimeSpan.FromMilliseconds(250),
        };
        await using var fmp4 = await RunningCapture.StartAsync(url, Flaky("gap-fmp4"));
        await using var hls = await RunningCapture.StartAsync(url, Flaky("gap-hls") with { Format = SegmentFormat.Hls, HlsSegmentType = HlsSegmentType.Fmp4 });
        DateTimeOffset killedAt;
        try
        {
            await fmp4.WaitForSegmentsAsync(1, TimeSpan.FromSeconds(60));
            await hls.WaitForSegmentsAsync(1, TimeSpan.FromSeconds(60));
            source.Kill();
            killedAt = DateTimeOffset.UtcNow;
            await Eventually.UntilAsync(() => fmp4.Events.OfType<SourceLost>().Any() && hls.Events.OfType<SourceLost>().Any(), TimeSpan.FromSeconds(30), "both captures to notice the loss");
            // The outage itself is the fault being injected: the source stays away 5 s in all.
            await Eventually.UntilAsync(() => DateTimeOffset.UtcNow - killedAt >= TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), "5 s of outage");
        }
        finally
        {
            await source.DisposeAsync();
        }

        await using var returned = SyntheticSource.Start(url);
        await Eventually.UntilAsync(() => fmp4.Events.OfType<SourceResumed>().Any() && hls.Events.OfType<SourceResumed>().Any(), TimeSpan.FromSeconds(40), "both captures to resume");
        var resumeSeenAfter = DateTimeOffset.UtcNow - killedAt;
        var resumedAt = Math.Max(fmp4.Ready, hls.Ready);
        await Eventually.UntilAsync(() => fmp4.Ready >= resumedAt + 1 && hls.Ready >= resumedAt + 1, TimeSpan.FromSeconds(40), "a segment after the resume");
        var results = await Task.WhenAll(fmp4.StopAsync(TimeSpan.FromSeconds(30)), hls.StopAsync(TimeSpan.FromSeconds(30)));

        foreach (var result in results)
        {
            var manifest = result.Manifest;
            Assert.Equal(CaptureExitReason.Stopped, result.Reason);
            var gap = Assert.Single(manifest.Gaps);
            // The gap is the outage as the capture lived it: most of the 5 s at least, and at most the time until both resumes
            // were seen (a loaded machine reconnects later, and the gap it records is then really longer), plus the media
            // that was on its way when the source died.
            Assert.InRange(gap.DurationSeconds, 3.5, resumeSeenAfter.TotalSeconds + 2.0);
            var lost = manifest.Segments.Single(s => s.Index == gap.AfterIndex);
            Assert.Equal(SegmentEndReason.SourceLost, lost.EndReason);
            Assert.Contains(manifest.Segments, s => s.Index > gap.AfterIndex);
            // One recording: indexes increase, no file written twice.
            Assert.Equal(manifest.Segments.Select(s => s.Index).Order(), manifest.Segments.Select(s => s.Index));
            Assert.Equal(manifest.Segments.Count, manifest.Segments.Select(s => s.File).Distinct().Count());
        }

        var playlist = await File.ReadAllTextAsync(Path.Combine(hls.Options.OutputDirectory, SegmentNaming.PlaylistName));
        Assert.Contains("#EXT-X-DISCONTINUITY", playlist, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-MAP:URI=\"init_000.mp4\"", playlist, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-MAP:URI=\"init_", playlist.Split("#EXT-X-DISCONTINUITY")[1], StringComparison.Ordinal);
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist, StringComparison.Ordinal);
        var whole = await new MediaProbe().ProbeAsync(Path.Combine(hls.Options.OutputDirectory, SegmentNaming.PlaylistName));
        Assert.Equal("h264", whole.Streams.VideoCodec);
    }
}
