namespace Recording.Functions.Recordings;

/// <summary>The answer to a delete: deleted (with how many assets went too), not found (404), or still running (409: stop it first).</summary>
public sealed record RecordingDeleteResult(RecordingDeleteOutcome Outcome, int AssetsDeleted);

/// <summary>Whether a delete happened.</summary>
public enum RecordingDeleteOutcome
{
    Deleted,
    NotFound,
    StillRunning,

    /// <summary>A composition whose composite's destination is no longer known (its first track's recording was deleted): nothing was deleted.</summary>
    AssetsUnreachable,
}
