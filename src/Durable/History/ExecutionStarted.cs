using Recording.Durable.Instances;

namespace Recording.Durable.History;

/// <summary>Starts an execution: the first event of every execution's history, and the message that creates an instance.</summary>
public sealed record ExecutionStarted(string Name, string ExecutionId, string? Input) : HistoryEvent
{
    public ParentInstance? Parent { get; init; }

    /// <summary>When set, the start message is not visible before this time.</summary>
    public DateTimeOffset? ScheduledStartAt { get; init; }

    /// <summary>
    /// How many events the previous execution carried over to this one (ContinueAsNew). Each is a message of its own, and a
    /// queue may deliver them in other batches than the start: the first episode waits until all have come, because one that
    /// arrived after this execution had itself continued would be addressed to an ended execution and dropped.
    /// </summary>
    public int CarriedEvents { get; init; }

    /// <summary>The orchestration version the instance was created with (see <see cref="Versioning.OrchestrationVersioning"/>); a continued execution keeps it.</summary>
    public string? Version { get; init; }

    /// <summary>The state of an instance this message creates, before its first episode.</summary>
    public InstanceState PendingState(string instanceId, DateTimeOffset now) =>
        new(instanceId, Name, ExecutionId, OrchestrationRuntimeStatus.Pending, now, now)
        {
            Input = Input,
            Parent = Parent,
            ScheduledStartAt = ScheduledStartAt,
            Version = Version,
        };
}
