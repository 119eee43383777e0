namespace Recording.Functions.Recordings;

/// <summary>What <c>GET /api/recordings/{id}</c> answers: runtime status, phase, segments, bytes, durations, assets and errors.</summary>
public sealed record RecordingStatus
{
    public required string Id { get; init; }

    public required RecordingRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>The orchestrator's custom status phase, e.g. "starting", "recording", "interrupted", "post-processing", "notifying", "done".</summary>
    public string? Phase { get; init; }

    public string? StreamId { get; init; }

    public string? TemplateName { get; init; }

    public IReadOnlyList<string> Sources { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>The orchestrator code version the recording runs under, for good (<c>Recording:Engine:DefaultVersion</c> of the build that started it).</summary>
    public string? OrchestrationVersion { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public IReadOnlyList<RecordingSegment> Segments { get; init; } = [];

    public long TotalBytes { get; init; }

    public TimeSpan RecordedDuration { get; init; }

    public IReadOnlyList<RecordingAsset> Assets { get; init; } = [];

    public IReadOnlyList<RecordingError> Errors { get; init; } = [];
}
