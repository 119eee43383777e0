using Recording.Media.Manifest;

namespace Recording.Media.Probing;

/// <summary>What ffprobe says about a media file.</summary>
public sealed record MediaInfo
{
    public required string Path { get; init; }

    public required string FormatName { get; init; }

    /// <summary>The container's duration; for a truncated fragmented MP4, the duration of the fragments that are complete.</summary>
    public required TimeSpan Duration { get; init; }

    public required long Bytes { get; init; }

    /// <summary>The container's first timestamp; non-zero for a media segment that continues a timeline (an HLS fMP4 fragment).</summary>
    public TimeSpan StartTime { get; init; }

    public required StreamInfo Streams { get; init; }

    public long? BitRate { get; init; }

    public bool HasVideo => Streams.VideoCodec is not null;

    public bool HasAudio => Streams.AudioCodec is not null;
}
