using Recording.Durable.Instances;

namespace Recording.Durable.History;

/// <summary>Starts an execution: the first event of every execution's history, and the message that creates an instance.</summary>
public sealed record ExecutionStarted(string Name, string ExecutionId, string? Input) : HistoryEvent
{
    public ParentInstance? Parent { get; init; }

    /// <summary>When set, the start message is not visible before this time.</summary>
    public DateTimeOffset? ScheduledStartAt { get; init; }
}
