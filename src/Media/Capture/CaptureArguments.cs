using System.Globalization;
using Recording.Media.Manifest;
using Recording.Media.Sources;

namespace Recording.Media.Capture;

/// <summary>Builds the ffmpeg argument list of one capture run: a validated source copied (never transcoded) into keyframe-cut segments.</summary>
public static class CaptureArguments
{
    /// <param name="startIndex">Index of the first segment this run writes; a reconnect continues after the last one, never overwriting.</param>
    /// <param name="run">Counts ffmpeg runs of one recording; names the HLS fMP4 init segment and the run's own playlist.</param>
    /// <param name="adtsToAsc">
    /// Whether an HLS fMP4 capture converts ADTS AAC (as MPEG-TS sources carry it) for MP4. ffmpeg's HLS muxer, unlike
    /// its segment muxer, does not insert the filter itself, and the filter refuses any other audio codec (MP2, AC-3,
    /// MP3), so a capture that finds such audio runs again without it.
    /// </param>
    public static IReadOnlyList<string> Build(LiveSource source, CaptureOptions options, int startIndex, int run, bool adtsToAsc = true)
    {
        var naming = new SegmentNaming(options.Format, options.HlsSegmentType);
        var args = new List<string>
        {
            // No -nostdin: 'q' on stdin is how a capture is stopped with a finalised segment. -stats: the progress line
            // ffmpeg prints once a second while packets flow is the capture's heartbeat; RTMP reads block in TCP, where
            // -rw_timeout does not reach, so a source that goes silent (nginx-rtmp keeps the player connected after the
            // publisher dies) is noticed by the heartbeat stopping, not by ffmpeg. Once a second rather than twice: each
            // line wakes the worker, and a wake-up is what the worker costs while recording (bench/Capture).
            "-hide_banner", "-stats", "-stats_period", "1", "-loglevel", "info",
            "-protocol_whitelist", source.ProtocolWhitelist,
            "-rw_timeout", Micros(options.SourceReadTimeout),
        };
        if (source.Scheme is "rtmp" or "rtmps")
        {
            args.AddRange(["-rtmp_live", "live"]);
        }

        args.AddRange(["-i", source.Url.OriginalString]);
        if (options.Format == SegmentFormat.M4a)
        {
            args.AddRange(["-map", "0:a:0", "-vn"]);
        }
        else
        {
            args.AddRange(["-map", "0:v:0?", "-map", "0:a:0?"]);
        }

        // The segment muxer's MP4 and FLV muxers convert ADTS AAC themselves and leave other audio codecs alone.
        args.AddRange(["-c", "copy"]);
        if (adtsToAsc && options.Format == SegmentFormat.Hls && options.HlsSegmentType == HlsSegmentType.Fmp4)
        {
            args.AddRange(["-bsf:a", AdtsToAscFilter]);
        }

        var seconds = options.SegmentLength.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (options.Format == SegmentFormat.Hls)
        {
            args.AddRange([
                "-f", "hls", "-hls_time", seconds, "-hls_list_size", "0", "-hls_playlist_type", "event",
                "-start_number", startIndex.ToString(CultureInfo.InvariantCulture),
                "-hls_segment_filename", Path.Combine(options.OutputDirectory, naming.Pattern),
            ]);
            if (options.HlsSegmentType == HlsSegmentType.Fmp4)
            {
                args.AddRange(["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", SegmentNaming.InitFileName(run)]);
            }

            // ffmpeg's own playlist of this run only; the recording's index.m3u8 is written by HlsPlaylistWriter, which
            // joins runs with #EXT-X-DISCONTINUITY (ffmpeg's append_list loses the EXT-X-MAP of earlier fMP4 runs).
            args.Add(Path.Combine(options.OutputDirectory, RunPlaylistName(run)));
            return args;
        }

        // flush_packets=1 on the inner muxer: every fragment (or packet) reaches the file at once. Without it the bytes
        // sit in ffmpeg's output buffer, and a kill -9 leaves a 28-byte file where seconds of fMP4 should be.
        var (segmentFormat, formatOptions) = options.Format switch
        {
            // A fragment per keyframe and at most a second: after a crash, all but the last fragment plays.
            SegmentFormat.Fmp4 => ("mp4", "movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000:flush_packets=1"),
            // No faststart: it rewrites the whole finished file to put the index first, inside ffmpeg's muxing loop. At a
            // rotation that stalls reading the source for as long as the rewrite takes (a 10-minute 6 Mbit/s segment is
            // 450 MB), and at a stop ffmpeg is killed after GracefulStopTimeout, which a long rewrite on slow storage
            // outlasts, leaving the last segment without its index. Here the index is written once, after the media; every
            // player reads it there, and the spliced recording, the file made for progressive playback, gets faststart.
            SegmentFormat.Mp4 => ("mp4", "flush_packets=1"),
            SegmentFormat.M4a => ("mp4", "movflags=+empty_moov+default_base_moof:frag_duration=1000000:flush_packets=1"),
            SegmentFormat.Flv => ("flv", "flush_packets=1"),
            SegmentFormat.Ts => ("mpegts", "flush_packets=1"),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "unknown format"),
        };
        args.AddRange([
            "-f", "segment", "-segment_time", seconds, "-reset_timestamps", "1",
            "-segment_start_number", startIndex.ToString(CultureInfo.InvariantCulture),
            "-segment_format", segmentFormat,
        ]);
        args.AddRange(["-segment_format_options", formatOptions]);

        args.Add(Path.Combine(options.OutputDirectory, naming.Pattern));
        return args;
    }

    /// <summary>The bitstream filter that turns ADTS AAC into the raw frames and AudioSpecificConfig MP4 holds.</summary>
    public const string AdtsToAscFilter = "aac_adtstoasc";

    /// <summary>Whether ffmpeg's output says the ADTS filter met audio that is not AAC, so the run must go without it.</summary>
    public static bool RefusedByAdtsToAsc(string stderr) =>
        stderr.Contains($"is not supported by the bitstream filter '{AdtsToAscFilter}'", StringComparison.Ordinal);

    public static string RunPlaylistName(int run) => ".run_" + run.ToString("000", CultureInfo.InvariantCulture) + ".m3u8";

    private static string Micros(TimeSpan value) => ((long)value.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
}
