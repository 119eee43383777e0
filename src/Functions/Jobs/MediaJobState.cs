namespace Recording.Functions.Jobs;

/// <summary>Where a media job stands when the orchestrator asks.</summary>
public enum MediaJobState
{
    /// <summary>This call started it: the first start, or again after its worker died without a result.</summary>
    Started,

    /// <summary>A worker runs it (or it waits in the queue for one).</summary>
    Running,

    /// <summary>It has a result, succeeded or failed.</summary>
    Finished,

    /// <summary>Nothing runs it and it has no result, and the order did not allow another start.</summary>
    NotRunning,
}
