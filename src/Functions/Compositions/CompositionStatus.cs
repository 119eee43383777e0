using Recording.Functions.Recordings;

namespace Recording.Functions.Compositions;

/// <summary>What <c>GET /api/compositions/{id}</c> answers.</summary>
public sealed record CompositionStatus
{
    public required string Id { get; init; }

    public required RecordingRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>"waiting" (for recordings still going), "preparing" (fetching the tracks), "composing" (the media job), "uploading", "done", "failed" or "canceled".</summary>
    public string? Phase { get; init; }

    /// <summary>While waiting: the recordings that have not completed yet.</summary>
    public IReadOnlyList<string> WaitingFor { get; init; } = [];

    public required string Layout { get; init; }

    public required string Size { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The participants on the timeline, once all their recordings have completed.</summary>
    public IReadOnlyList<ComposedTrack> Tracks { get; init; } = [];

    /// <summary>The composition's length: from the first participant's join to the last one's leave.</summary>
    public TimeSpan Duration { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>The orchestrator code version the composition runs under, for good (<c>Recording:Engine:DefaultVersion</c> of the build that started it).</summary>
    public string? OrchestrationVersion { get; init; }

    /// <summary>The composite file once uploaded, with a presigned URL where the destination has them.</summary>
    public IReadOnlyList<RecordingAsset> Assets { get; init; } = [];

    public IReadOnlyList<RecordingError> Errors { get; init; } = [];
}
