using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration;

/// <summary>What the orchestrator knows of a recording so far; carried from one execution to the next by ContinueAsNew.</summary>
public sealed record RecordingState
{
    public DateTimeOffset StartedAt { get; init; }

    public long Sequence { get; set; }

    public List<UploadedSegment> Segments { get; init; } = [];

    public List<RecordingError> Errors { get; init; } = [];

    public bool Interrupted { get; set; }

    public bool StopRequested { get; set; }

    public DateTimeOffset? StopRequestedAt { get; set; }

    public int Executions { get; set; }

    /// <summary>The next per-recording sequence number for a notification.</summary>
    public long NextSequence() => ++Sequence;
}
