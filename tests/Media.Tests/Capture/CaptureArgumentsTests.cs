using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.Media.Sources;

namespace Recording.Media.Tests.Capture;

/// <summary>The exact ffmpeg arguments of a capture run, without running ffmpeg (the first of FFMpegCore's two test tiers).</summary>
public sealed class CaptureArgumentsTests
{
    private static CaptureOptions Options(SegmentFormat format, HlsSegmentType hls = HlsSegmentType.Ts) => new()
    {
        RecordingId = "rec",
        OutputDirectory = "/out",
        Format = format,
        HlsSegmentType = hls,
        SegmentLength = TimeSpan.FromSeconds(10),
        AllowShortSegments = true,
    };

    [Fact]
    public void Build_RtmpFmp4_CopiesIntoFlushedKeyframeFragmentsWithAHeartbeat()
    {
        var source = SourcePolicy.ParseAndCheckScheme("rtmp://127.0.0.1/live/key?token=a b");

        var args = CaptureArguments.Build(source, Options(SegmentFormat.Fmp4), startIndex: 7, run: 2);

        Assert.Equal(
            "-hide_banner -stats -stats_period 1 -loglevel info -protocol_whitelist rtmp,tcp -rw_timeout 3000000 -rtmp_live live "
            + "-i rtmp://127.0.0.1/live/key?token=a b -map 0:v:0? -map 0:a:0? -c copy "
            + "-f segment -segment_time 10 -reset_timestamps 1 -segment_start_number 7 -segment_format mp4 "
            + "-segment_format_options movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000:flush_packets=1 "
            + "/out/segment_%05d.mp4",
            string.Join(' ', args));
        // The URL is one argument, whatever it holds: never split, never parsed by a shell.
        Assert.Single(args, a => a.StartsWith("rtmp://", StringComparison.Ordinal));
        Assert.DoesNotContain("-nostdin", args);
    }

    [Fact]
    public void Build_SrtHlsFmp4_WritesARunPlaylistWithItsOwnInitSegmentAndNoRtmpOptions()
    {
        var source = SourcePolicy.ParseAndCheckScheme("srt://127.0.0.1:9000?mode=caller");

        var args = string.Join(' ', CaptureArguments.Build(source, Options(SegmentFormat.Hls, HlsSegmentType.Fmp4), startIndex: 3, run: 1));

        Assert.DoesNotContain("-rtmp_live", args, StringComparison.Ordinal);
        Assert.Contains("-protocol_whitelist srt,udp ", args, StringComparison.Ordinal);
        Assert.Contains("-c copy -bsf:a aac_adtstoasc -f hls ", args, StringComparison.Ordinal);
        Assert.EndsWith(
            "-f hls -hls_time 10 -hls_list_size 0 -hls_playlist_type event -start_number 3 -hls_segment_filename /out/seg_%05d.m4s "
            + "-hls_segment_type fmp4 -hls_fmp4_init_filename init_001.mp4 /out/.run_001.m3u8",
            args,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HlsFmp4ForAudioOtherThanAac_LeavesTheAdtsFilterOut()
    {
        var source = SourcePolicy.ParseAndCheckScheme("srt://127.0.0.1:9000?mode=caller");

        var args = CaptureArguments.Build(source, Options(SegmentFormat.Hls, HlsSegmentType.Fmp4), startIndex: 0, run: 1, adtsToAsc: false);

        Assert.DoesNotContain("-bsf:a", args);
        Assert.True(CaptureArguments.RefusedByAdtsToAsc(
            "[aac_adtstoasc @ 0x5631d939a480] Codec 'mp2' (86016) is not supported by the bitstream filter 'aac_adtstoasc'. Supported codecs are: aac (86018)"));
        Assert.False(CaptureArguments.RefusedByAdtsToAsc("Connection to tcp://127.0.0.1:1935 failed: Connection refused"));
    }

    [Theory]
    [InlineData(SegmentFormat.M4a, "-map 0:a:0 -vn -c copy -f", "mp4", "/out/segment_%05d.m4a")]
    [InlineData(SegmentFormat.Ts, "-map 0:v:0? -map 0:a:0? -c copy -f", "mpegts", "/out/segment_%05d.ts")]
    [InlineData(SegmentFormat.Flv, "-c copy -f", "flv", "/out/segment_%05d.flv")]
    [InlineData(SegmentFormat.Mp4, "-c copy -f", "mp4", "/out/segment_%05d.mp4")]
    public void Build_EachSegmentFormat_PicksStreamsMuxerAndFileName(SegmentFormat format, string streams, string muxer, string pattern)
    {
        var source = SourcePolicy.ParseAndCheckScheme("rtmp://127.0.0.1/live/x");

        var args = CaptureArguments.Build(source, Options(format), startIndex: 0, run: 0);
        var line = string.Join(' ', args);

        Assert.Contains(streams, line, StringComparison.Ordinal);
        Assert.Equal(muxer, args[args.ToList().IndexOf("-segment_format") + 1]);
        Assert.Equal(pattern, args[^1]);
    }
}
