using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration;

/// <summary>The composition orchestrator's custom status: its phase, the composite once uploaded, and what went wrong.</summary>
public sealed record CompositionProgress
{
    public const string Preparing = "preparing";
    public const string Composing = "composing";
    public const string Uploading = "uploading";
    public const string Done = "done";
    public const string Failed = "failed";

    public required string Phase { get; init; }

    public IReadOnlyList<RecordingAsset> Assets { get; init; } = [];

    public IReadOnlyList<RecordingError> Errors { get; init; } = [];
}
