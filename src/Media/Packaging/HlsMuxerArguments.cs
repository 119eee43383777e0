using System.Globalization;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// The ffmpeg command line of one HLS muxer run, shared by <see cref="HlsPackager"/> (one whole file) and
/// <see cref="IncrementalHlsPackager"/> (one capture segment, moved to its place on the VOD's timeline).
/// </summary>
internal static class HlsMuxerArguments
{
    public static readonly TimeSpan MinSegmentDuration = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxSegmentDuration = TimeSpan.FromSeconds(60);

    public static void ValidateSegmentDuration(TimeSpan segment)
    {
        if (segment < MinSegmentDuration || segment > MaxSegmentDuration)
        {
            throw new Validation.MediaInputException("segmentDuration", "must be between 1 and 60 seconds");
        }
    }

    /// <summary>H.264 and AAC are copied; anything else is re-encoded to them, which HLS players can all play.</summary>
    public static EncodingDecision Decide(StreamSignature source)
    {
        var videoOk = !source.HasVideo || source.VideoCodec == "h264";
        var audioOk = !source.HasAudio || source.AudioCodec == "aac";
        var reasons = $"{(videoOk ? "video copied (H.264)" : $"video re-encoded: {source.VideoCodec} is not H.264")}; {(audioOk ? "audio copied (AAC)" : $"audio re-encoded: {source.AudioCodec} is not AAC")}";
        return new EncodingDecision(
            !source.HasVideo ? StreamHandling.None : videoOk ? StreamHandling.Copied : StreamHandling.ReEncoded,
            !source.HasAudio ? StreamHandling.None : audioOk ? StreamHandling.Copied : StreamHandling.ReEncoded,
            reasons);
    }

    /// <summary>
    /// Arguments that write <paramref name="playlist"/> and its segments, named <paramref name="segmentStem"/>_%05d in
    /// <paramref name="output"/>. <paramref name="timelineShift"/>, when set, is added to every input timestamp (kept as
    /// they are otherwise: -copyts), so that the output lands at a chosen place on a longer timeline.
    /// </summary>
    public static List<string> Build(
        string input, EncodingDecision decision, string output, string segmentStem, string playlist, HlsSegmentType type, TimeSpan segment, TimeSpan? timelineShift = null)
    {
        var seconds = segment.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        if (timelineShift is { } shift)
        {
            // Without -copyts ffmpeg would first move the file's earliest timestamp (often audio, not the keyframe) to 0.
            arguments.AddRange(["-copyts", "-itsoffset", shift.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(["-i", Validation.LocalMediaPath.AsFfmpegInput(input), "-map", "0:v:0?", "-map", "0:a:0?"]);
        arguments.AddRange(decision.Video != StreamHandling.ReEncoded
            ? ["-c:v", "copy"]
            // ffmpeg 5.1 evaluates t from the first encoded frame, so the grid starts at each output's own start, -copyts or not.
            // The crop drops the last row or column of an odd-sized picture, which 4:2:0 H.264 cannot encode.
            : ["-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p", "-force_key_frames", $"expr:gte(t,n_forced*{seconds})"]);
        arguments.AddRange(decision.Audio != StreamHandling.ReEncoded ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", "128k"]);
        if (timelineShift is not null)
        {
            // A piece at the timeline's start has audio (and B-frame DTS) just before 0. Left to the default, the HLS
            // muxer and its MPEG-TS segment muxer each shift such a piece forward, so it would overlap the next piece.
            arguments.AddRange(["-avoid_negative_ts", "disabled"]);
        }

        arguments.AddRange(["-f", "hls", "-hls_time", seconds, "-hls_playlist_type", "vod", "-hls_flags", "independent_segments"]);
        if (timelineShift is not null)
        {
            arguments.AddRange(["-hls_segment_options", "avoid_negative_ts=disabled"]);
        }

        if (type == HlsSegmentType.Fmp4)
        {
            arguments.AddRange(["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", Path.Combine(output, segmentStem + "_%05d.m4s")]);
        }
        else
        {
            arguments.AddRange(["-hls_segment_type", "mpegts", "-hls_segment_filename", Path.Combine(output, segmentStem + "_%05d.ts")]);
        }

        arguments.Add(playlist);
        return arguments;
    }
}
