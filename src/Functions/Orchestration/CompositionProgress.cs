using Recording.Functions.Compositions;
using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration;

/// <summary>The composition orchestrator's custom status: its phase, the timeline once its recordings are ready, the composite once uploaded, and what went wrong.</summary>
public sealed record CompositionProgress
{
    public const string Waiting = "waiting";
    public const string Preparing = "preparing";
    public const string Composing = "composing";
    public const string Uploading = "uploading";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public required string Phase { get; init; }

    /// <summary>While <see cref="Waiting"/>: the recordings still going.</summary>
    public IReadOnlyList<string> WaitingFor { get; init; } = [];

    public IReadOnlyList<ComposedTrack> Tracks { get; init; } = [];

    public double Duration { get; init; }

    public IReadOnlyList<RecordingAsset> Assets { get; init; } = [];

    public IReadOnlyList<RecordingError> Errors { get; init; } = [];
}
