using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>
/// Sources whose audio is not AAC: MP2 is what broadcast contribution feeds carry over SRT and MPEG-TS, MP3 what older
/// RTMP encoders send. Copied as it is into MP4-family segments, never refused for want of AAC.
/// </summary>
public sealed class NonAacAudioCaptureTests
{
    [Fact]
    public async Task Capture_SrtWithMp2Audio_CopiesTheAudioIntoFmp4Segments()
    {
        var port = FreePort.Next();
        await using var source = SyntheticSource.Start(
            $"srt://127.0.0.1:{port}?mode=listener", new SyntheticSourceOptions { Muxer = "mpegts", AudioEncoder = "mp2" });
        await using var capture = await RunningCapture.StartAsync(
            $"srt://127.0.0.1:{port}?mode=caller&latency=200000", RunningCapture.DefaultOptions("srt-mp2", TimeSpan.FromSeconds(2)));

        await capture.WaitForSegmentsAsync(2, TimeSpan.FromSeconds(60));
        var result = await capture.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CaptureExitReason.Stopped, result.Reason);
        await AssertMpegAudioSegmentsAsync(capture.Options.OutputDirectory, result.Manifest);
    }

    [Fact]
    public async Task Capture_RtmpWithMp3AudioIntoHlsFmp4_RunsAgainWithoutTheAdtsFilterAndLosesNothing()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(
            server.UrlFor("mp3"), new SyntheticSourceOptions { AudioEncoder = "libmp3lame", AudioSampleRate = 44100 });
        var options = RunningCapture.DefaultOptions("rtmp-mp3", TimeSpan.FromSeconds(2)) with { Format = SegmentFormat.Hls, HlsSegmentType = HlsSegmentType.Fmp4 };
        await using var capture = await RunningCapture.StartAsync(server.UrlFor("mp3"), options);

        await capture.WaitForSegmentsAsync(2, TimeSpan.FromSeconds(60));
        var result = await capture.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CaptureExitReason.Stopped, result.Reason);
        // The refused first run is a codec question, not a lost source: no loss is reported, no gap is recorded.
        Assert.Empty(capture.Events.OfType<SourceLost>());
        Assert.Empty(result.Manifest.Gaps);
        await AssertMpegAudioSegmentsAsync(capture.Options.OutputDirectory, result.Manifest);
        var playlist = Path.Combine(capture.Options.OutputDirectory, SegmentNaming.PlaylistName);
        var whole = await new MediaProbe().ProbeAsync(playlist);
        Assert.Equal("mp3", whole.Streams.AudioCodec);
        Assert.Equal(result.Manifest.TotalDurationSeconds, whole.Duration.TotalSeconds, 1.0);
    }

    private static async Task AssertMpegAudioSegmentsAsync(string directory, SegmentManifest manifest)
    {
        Assert.True(manifest.Segments.Count >= 2, $"{manifest.Segments.Count} segments");
        Assert.All(manifest.Segments, segment =>
        {
            // MP4 files MPEG-1 audio of any layer under one object type, which ffprobe names mp3.
            Assert.Equal("mp3", segment.Streams.AudioCodec);
            Assert.Equal("h264", segment.Streams.VideoCodec);
        });
        // HLS fMP4 segments decode only behind their init segment, which the playlist puts there.
        var decodable = manifest.Format == SegmentFormat.Hls
            ? [Path.Combine(directory, SegmentNaming.PlaylistName)]
            : manifest.Segments.Select(s => Path.Combine(directory, s.File)).ToArray();
        foreach (var path in decodable)
        {
            var decode = await new DecodeCheck().RunAsync(path);
            Assert.True(decode.IsClean, $"{path}: {string.Join("; ", decode.Errors)}");
        }
    }
}
