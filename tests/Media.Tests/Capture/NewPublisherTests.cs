using Recording.Media.Capture;
using Recording.Media.Probing;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>
/// A publisher replaced inside the capture's read timeout: nginx-rtmp hands the still-connected capture to the new
/// publisher, whose timestamps start again from zero and whose picture is another size.
/// </summary>
public sealed class NewPublisherTests
{
    [Fact]
    public async Task Capture_PublisherReplacedAtAnotherResolution_GivesTheNewPublisherItsOwnSegmentsAndEverySegmentDecodes()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        var url = server.UrlFor("replaced");
        var options = RunningCapture.DefaultOptions("replaced", TimeSpan.FromSeconds(4)) with { ResumeWindow = TimeSpan.FromSeconds(30) };
        await using var capture = await RunningCapture.StartAsync(url, options);
        var first = SyntheticSource.Start(url, new SyntheticSourceOptions { Width = 320, Height = 240 });
        try
        {
            await capture.WaitForSegmentsAsync(1, TimeSpan.FromSeconds(60));
            first.Kill();
        }
        finally
        {
            await first.DisposeAsync();
        }

        // At once: well inside the 3 s read timeout, so only the timeline shows that the publisher changed.
        await using var second = SyntheticSource.Start(url, new SyntheticSourceOptions { Width = 640, Height = 360, ToneHz = 660 });
        await Eventually.UntilAsync(
            () => capture.Events.OfType<SegmentReady>().Count(e => e.Segment.Streams.Width == 640) >= 2 || capture.Completion.IsCompleted,
            TimeSpan.FromSeconds(60),
            "two segments of the new publisher");
        var result = await capture.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CaptureExitReason.Stopped, result.Reason);
        var segments = result.Manifest.Segments;
        Assert.Contains(segments, s => s.Streams.Width == 320);
        Assert.Contains(segments, s => s.Streams.Width == 640);
        // The switch is where one run ended and the next began. The segment open at the switch keeps the fragments it had
        // flushed; one that had none yet is left out, so the gap follows the first publisher's last segment either way.
        var lost = capture.Events.OfType<SourceLost>().Single();
        Assert.Contains("new publisher", lost.Detail, StringComparison.Ordinal);
        var last320 = segments.Last(s => s.Streams.Width == 320);
        Assert.All(segments.Where(s => s.Index > last320.Index), s => Assert.Equal(640, s.Streams.Width));
        Assert.Equal(last320.Index, Assert.Single(result.Manifest.Gaps).AfterIndex);
        foreach (var segment in segments)
        {
            var decoded = await new MediaProbe().DecodeAsync(Path.Combine(options.OutputDirectory, segment.File));
            Assert.True(decoded.IsClean, $"{segment.File} ({segment.Streams.Width}x{segment.Streams.Height}) does not decode clean: {string.Join(" | ", decoded.Errors.Take(5))}");
        }
    }
}
