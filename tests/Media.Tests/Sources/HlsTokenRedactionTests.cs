using Recording.Media.Capture;
using Recording.Media.Sources;
using Recording.TestSupport;

namespace Recording.Media.Tests.Sources;

/// <summary>
/// An HLS source whose variant playlist and segments are signed URLs of their own (as CDNs sign them): ffmpeg names them
/// when they fail, and none of their tokens reaches a log line, an event or the capture's result.
/// </summary>
public sealed class HlsTokenRedactionTests
{
    [Fact]
    public async Task Capture_OfAnHlsSourceWhoseSignedSegmentsFail_ReportsTheLossWithoutTheirTokens()
    {
        await using var server = new PlaylistHttpServer(new Dictionary<string, string>
        {
            ["master.m3u8"] = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\nlive.m3u8?token=VARIANTSECRET\n",
            // Segments the server does not have: ffmpeg names each, signature and all, as it fails to load it.
            ["live.m3u8"] = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg0.ts?sig=SEGSECRET\n#EXTINF:2.0,\nseg1.ts?sig=SEGSECRET\n#EXT-X-ENDLIST\n",
        });
        var source = await new SourcePolicy(new SourcePolicyOptions { AllowPrivateNetworks = true }).ValidateAsync(server.UrlFor("master.m3u8"));
        var options = new CaptureOptions
        {
            RecordingId = "signed",
            OutputDirectory = Directory.CreateTempSubdirectory("signed-").FullName,
            SegmentLength = TimeSpan.FromSeconds(2),
            AllowShortSegments = true,
            MinFreeDiskBytes = 0,
            ResumeWindow = TimeSpan.FromSeconds(2),
        };
        using var logs = new CapturingLoggerFactory();
        var events = new List<CaptureEvent>();

        using var session = new CaptureSession(source, options, logger: logs.CreateLogger("capture"));
        var result = await session.RunAsync(e => { lock (events) { events.Add(e); } });

        Assert.Equal(CaptureExitReason.SourceLost, result.Reason);
        Assert.NotEmpty(events.OfType<SourceLost>());
        Assert.Contains(logs.Lines, l => l.Contains("seg0.ts?redacted", StringComparison.Ordinal));
        var everything = string.Join('\n', logs.Lines.Concat(events.Select(e => $"{e}")).Append(System.Text.Json.JsonSerializer.Serialize(result.Manifest)));
        Assert.DoesNotContain("SECRET", everything, StringComparison.Ordinal);
    }
}
