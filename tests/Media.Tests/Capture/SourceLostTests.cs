using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>A source that stays away longer than the resume window ends the capture with reason source-lost.</summary>
public sealed class SourceLostTests
{
    [Fact]
    public async Task Capture_SourceAwayBeyondTheWindow_ExitsWithSourceLost()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        var url = server.UrlFor("gone");
        await using var source = SyntheticSource.Start(url);
        await using var capture = await RunningCapture.StartAsync(url, RunningCapture.DefaultOptions("lost", TimeSpan.FromSeconds(2)) with { ResumeWindow = TimeSpan.FromSeconds(3) });
        await capture.WaitForSegmentsAsync(1, TimeSpan.FromSeconds(60));

        source.Kill();
        var result = await capture.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(CaptureExitReason.SourceLost, result.Reason);
        Assert.Equal(CaptureExitReason.SourceLost, result.Manifest.ExitReason);
        Assert.Equal(SegmentEndReason.SourceLost, result.Manifest.Segments[^1].EndReason);
        var lost = Assert.Single(capture.Events.OfType<SourceLost>());
        var exited = Assert.IsType<CaptureExited>(capture.Events.Last());
        Assert.Equal(CaptureExitReason.SourceLost, exited.Reason);
        Assert.InRange((exited.At - lost.At).TotalSeconds, 2.5, 15);
        Assert.Equal(CaptureExitReason.SourceLost, (await ManifestFile.ReadAsync(capture.Options.OutputDirectory)).ExitReason);
    }
}
