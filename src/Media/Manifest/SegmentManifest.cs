namespace Recording.Media.Manifest;

/// <summary>
/// The record of a capture, kept beside its segments as manifest.json and replaced atomically after each change.
/// It is a convenience for readers: after a crash the capture rebuilds it from the files, never the other way round.
/// </summary>
public sealed record SegmentManifest
{
    public const string FileName = "manifest.json";

    public int Version { get; init; } = 1;

    public required string RecordingId { get; init; }

    /// <summary>The source URL with credentials and query secrets removed.</summary>
    public required string Source { get; init; }

    public required SegmentFormat Format { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Set when the capture ended; null while it runs (or if it crashed).</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why the capture ended (kebab-case: stopped, max-duration, source-lost, disk-low, failed); null while it runs.</summary>
    public string? ExitReason { get; init; }

    public IReadOnlyList<SegmentEntry> Segments { get; init; } = [];

    /// <summary>Gaps between consecutive segments, derived from their wall-clock times.</summary>
    public IReadOnlyList<ManifestGap> Gaps { get; init; } = [];

    public double TotalDurationSeconds => Segments.Sum(s => s.DurationSeconds);

    public long TotalBytes => Segments.Sum(s => s.Bytes);
}
