using Recording.Functions.Recordings;
using Recording.Media.Packaging;
using Recording.Media.Splice.Fragmented;

namespace Recording.Functions.Orchestration;

/// <summary>What the orchestrator knows of a recording so far; carried from one execution to the next by ContinueAsNew.</summary>
public sealed record RecordingState
{
    public DateTimeOffset StartedAt { get; init; }

    public long Sequence { get; set; }

    public List<UploadedSegment> Segments { get; init; } = [];

    public List<RecordingError> Errors { get; init; } = [];

    public bool Interrupted { get; set; }

    /// <summary>The end of the last gap the source came back from: a source loss reported at or before it arrived late, after its resume.</summary>
    public DateTimeOffset? ResumedThrough { get; set; }

    public bool StopRequested { get; set; }

    public DateTimeOffset? StopRequestedAt { get; set; }

    public int Executions { get; set; }

    /// <summary>The spliced file appended segment by segment while recording (null until the first append).</summary>
    public FragmentedSpliceState? Splice { get; set; }

    /// <summary>Why the splice stopped following the recording (it is then made after the stop); null while it follows.</summary>
    public string? SpliceAbandoned { get; set; }

    /// <summary>The HLS VOD's pieces, one per segment, packaged and uploaded while recording.</summary>
    public List<HlsPiece> HlsPieces { get; init; } = [];

    /// <summary>Why the HLS VOD stopped following the recording (it is then packaged after the stop); null while it follows.</summary>
    public string? HlsAbandoned { get; set; }

    /// <summary>The next per-recording sequence number for a notification.</summary>
    public long NextSequence() => ++Sequence;
}
