using Recording.Media.Manifest;

namespace Recording.Media.Verification;

/// <summary>An output that ffprobe has confirmed (duration, streams) and that decoded without errors.</summary>
public sealed record VerifiedOutput
{
    public required string Path { get; init; }

    public required TimeSpan Duration { get; init; }

    public required StreamInfo Streams { get; init; }

    public required long Bytes { get; init; }

    public required EncodingDecision Encoding { get; init; }
}
