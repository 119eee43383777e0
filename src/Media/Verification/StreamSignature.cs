namespace Recording.Media.Verification;

/// <summary>
/// The parameters that decide whether two files can be joined by stream copy: codec, geometry, rate, and the codec's
/// extradata (SPS/PPS, AudioSpecificConfig), since packets coded against different parameter sets do not decode together.
/// </summary>
public sealed record StreamSignature
{
    public required TimeSpan Duration { get; init; }

    /// <summary>The container's start time (format start_time): a file's timeline position t is the timestamp StartTime + t.</summary>
    public TimeSpan StartTime { get; init; }

    public string? VideoCodec { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public string? PixelFormat { get; init; }

    /// <summary>Frames per second from avg_frame_rate; 0 when unknown.</summary>
    public double FrameRate { get; init; }

    public string? VideoExtradataHash { get; init; }

    /// <summary>The first video timestamp (stream start_time), where the first keyframe sits on the file's timeline.</summary>
    public TimeSpan? VideoStartTime { get; init; }

    public string? AudioCodec { get; init; }

    public int SampleRate { get; init; }

    public int Channels { get; init; }

    public string? AudioProfile { get; init; }

    public string? AudioExtradataHash { get; init; }

    /// <summary>The first audio timestamp (stream start_time).</summary>
    public TimeSpan? AudioStartTime { get; init; }

    /// <summary>
    /// Everything <see cref="VideoMatches"/> and <see cref="AudioMatches"/> compare, as one string: two files whose keys
    /// are equal can follow each other in one stream; a player needs to be told (an HLS discontinuity) where it changes.
    /// </summary>
    public string CodecKey
        => string.Join('|', VideoCodec, Width, Height, PixelFormat, VideoExtradataHash, AudioCodec, SampleRate, Channels, AudioExtradataHash);

    public bool HasVideo => VideoCodec is not null;

    /// <summary>
    /// What a join of <paramref name="files"/> carries: video if any file has it, with the first such file's video
    /// parameters, and audio likewise. A file without one of them (a camera turned off) gets black or silence there.
    /// </summary>
    public static StreamSignature Union(IReadOnlyList<StreamSignature> files)
    {
        var video = files.FirstOrDefault(f => f.HasVideo) ?? files[0];
        var audio = files.FirstOrDefault(f => f.HasAudio) ?? files[0];
        return video with
        {
            AudioCodec = audio.AudioCodec,
            SampleRate = audio.SampleRate,
            Channels = audio.Channels,
            AudioProfile = audio.AudioProfile,
            AudioExtradataHash = audio.AudioExtradataHash,
            AudioStartTime = audio.AudioStartTime,
        };
    }

    public bool HasAudio => AudioCodec is not null;

    /// <summary>True when the video packets of both files can follow each other in one stream.</summary>
    public bool VideoMatches(StreamSignature other)
        => VideoCodec == other.VideoCodec && Width == other.Width && Height == other.Height && PixelFormat == other.PixelFormat
            && VideoExtradataHash == other.VideoExtradataHash;

    public bool AudioMatches(StreamSignature other)
        => AudioCodec == other.AudioCodec && SampleRate == other.SampleRate && Channels == other.Channels
            && AudioExtradataHash == other.AudioExtradataHash;

    /// <summary>Names the first difference in video, for the reason given to the user.</summary>
    public string DescribeVideoDifference(StreamSignature other)
        => VideoCodec != other.VideoCodec ? $"video codec {VideoCodec ?? "none"} vs {other.VideoCodec ?? "none"}"
            : Width != other.Width || Height != other.Height ? $"resolution {Width}x{Height} vs {other.Width}x{other.Height}"
            : PixelFormat != other.PixelFormat ? $"pixel format {PixelFormat} vs {other.PixelFormat}"
            : "video codec parameters (SPS/PPS) differ";

    public string DescribeAudioDifference(StreamSignature other)
        => AudioCodec != other.AudioCodec ? $"audio codec {AudioCodec ?? "none"} vs {other.AudioCodec ?? "none"}"
            : SampleRate != other.SampleRate ? $"sample rate {SampleRate} vs {other.SampleRate}"
            : Channels != other.Channels ? $"channels {Channels} vs {other.Channels}"
            : "audio codec configuration differs";
}
