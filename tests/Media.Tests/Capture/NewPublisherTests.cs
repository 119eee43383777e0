using Recording.Media.Capture;
using Recording.Media.Manifest;
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
        CaptureOptions Options(string name) => RunningCapture.DefaultOptions(name, TimeSpan.FromSeconds(4)) with { ResumeWindow = TimeSpan.FromSeconds(30) };
        await using var fmp4 = await RunningCapture.StartAsync(url, Options("replaced-fmp4"));
        await using var hls = await RunningCapture.StartAsync(url, Options("replaced-hls") with { Format = SegmentFormat.Hls, HlsSegmentType = HlsSegmentType.Fmp4 });
        RunningCapture[] captures = [fmp4, hls];
        var first = SyntheticSource.Start(url, new SyntheticSourceOptions { Width = 320, Height = 240 });
        try
        {
            await fmp4.WaitForSegmentsAsync(1, TimeSpan.FromSeconds(60));
            await hls.WaitForSegmentsAsync(1, TimeSpan.FromSeconds(60));
            first.Kill();
        }
        finally
        {
            await first.DisposeAsync();
        }

        // At once: well inside the 3 s read timeout, so only the timeline shows that the publisher changed.
        await using var second = SyntheticSource.Start(url, new SyntheticSourceOptions { Width = 640, Height = 360, ToneHz = 660 });
        await Eventually.UntilAsync(
            () => captures.All(c => c.Events.OfType<SegmentReady>().Count(e => e.Segment.Streams.Width == 640) >= 2 || c.Completion.IsCompleted),
            TimeSpan.FromSeconds(60),
            "two segments of the new publisher in each capture");
        var results = await Task.WhenAll(captures.Select(c => c.StopAsync(TimeSpan.FromSeconds(30))));

        foreach (var (capture, result) in captures.Zip(results))
        {
            Assert.Equal(CaptureExitReason.Stopped, result.Reason);
            var segments = result.Manifest.Segments;
            Assert.Contains(segments, s => s.Streams.Width == 320);
            Assert.Contains(segments, s => s.Streams.Width == 640);
            // The switch is where one run ended and the next began. The segment open at the switch keeps the fragments it
            // had flushed; one that had none yet is left out, so the gap follows the first publisher's last segment either way.
            var lost = capture.Events.OfType<SourceLost>().Single();
            Assert.Contains("new publisher", lost.Detail, StringComparison.Ordinal);
            var last320 = segments.Last(s => s.Streams.Width == 320);
            Assert.All(segments.Where(s => s.Index > last320.Index), s => Assert.Equal(640, s.Streams.Width));
            Assert.Equal(last320.Index, Assert.Single(result.Manifest.Gaps).AfterIndex);
        }

        foreach (var (capture, result) in captures.Zip(results))
        {
            foreach (var segment in result.Manifest.Segments)
            {
                var decoded = await DecodeAsync(capture.Options.OutputDirectory, segment.File, segment.InitFile);
                Assert.True(decoded.IsClean, $"{segment.File} ({segment.Streams.Width}x{segment.Streams.Height}) does not decode clean: {string.Join(" | ", decoded.Errors.Take(5))}");
            }
        }

        // The HLS recording stays one playlist: the new publisher starts after a discontinuity, with its own init segment.
        // (ffmpeg's HLS demuxer keeps the first init's codec setup across EXT-X-MAP changes, so the segments are decoded
        // one by one above, each with its own init, as a player does.)
        var playlist = await File.ReadAllTextAsync(Path.Combine(hls.Options.OutputDirectory, SegmentNaming.PlaylistName));
        var afterSwitch = playlist.Split("#EXT-X-DISCONTINUITY");
        Assert.Equal(2, afterSwitch.Length);
        Assert.Contains("#EXT-X-MAP:URI=\"init_", afterSwitch[1], StringComparison.Ordinal);
    }

    private static async Task<DecodeReport> DecodeAsync(string folder, string file, string? initFile)
    {
        if (initFile is null)
        {
            return await new MediaProbe().DecodeAsync(Path.Combine(folder, file));
        }

        var joined = Path.Combine(folder, $"joined-{file}.mp4");
        await InitSegment.JoinAsync(Path.Combine(folder, initFile), Path.Combine(folder, file), joined);
        return await new MediaProbe().DecodeAsync(joined);
    }
}
