using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration;

/// <summary>The orchestrator's custom status: what <c>GET /api/recordings/{id}</c> shows while it runs and after it ends.</summary>
public sealed record RecordingProgress
{
    public required string Phase { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public IReadOnlyList<RecordingSegment> Segments { get; init; } = [];

    public long TotalBytes { get; init; }

    public TimeSpan RecordedDuration { get; init; }

    /// <summary>Assets without URLs (presigned URLs expire, so the status answer signs them on each read).</summary>
    public IReadOnlyList<RecordingAsset> Assets { get; init; } = [];

    public IReadOnlyList<RecordingError> Errors { get; init; } = [];
}
