namespace Recording.Media.Manifest;

/// <summary>One closed (or recovered) segment of a capture.</summary>
public sealed record SegmentEntry
{
    /// <summary>Zero-based, increasing, never reused within a recording.</summary>
    public required int Index { get; init; }

    /// <summary>File name relative to the manifest's folder.</summary>
    public required string File { get; init; }

    /// <summary>Wall-clock time (UTC, millisecond precision) of the segment's first media.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Duration probed from the file, in seconds; the truth where it and the wall clock differ.</summary>
    public required double DurationSeconds { get; init; }

    public required long Bytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public required string Sha256 { get; init; }

    public required StreamInfo Streams { get; init; }

    public required SegmentEndReason EndReason { get; init; }

    /// <summary>For HLS with fMP4 segments: the initialisation segment (EXT-X-MAP) this media segment needs; null otherwise.</summary>
    public string? InitFile { get; init; }
}
