namespace Recording.Media.Manifest;

/// <summary>What ffprobe found in a segment: enough to decide whether segments can be joined by stream copy.</summary>
public sealed record StreamInfo
{
    public string? VideoCodec { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    public double? FrameRate { get; init; }

    public string? AudioCodec { get; init; }

    public int? AudioSampleRate { get; init; }

    public int? AudioChannels { get; init; }
}
