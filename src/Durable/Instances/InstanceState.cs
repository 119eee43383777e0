namespace Recording.Durable.Instances;

/// <summary>What a backend stores about an orchestration instance besides its history (the row of the Instances table).</summary>
public sealed record InstanceState(
    string InstanceId,
    string Name,
    string ExecutionId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt)
{
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>JSON of the input of the current execution.</summary>
    public string? Input { get; init; }

    /// <summary>JSON of the output once completed (for Terminated: the reason).</summary>
    public string? Output { get; init; }

    /// <summary>JSON of the last custom status the orchestrator set.</summary>
    public string? CustomStatus { get; init; }

    public TaskFailureDetails? FailureDetails { get; init; }

    public ParentInstance? Parent { get; init; }

    /// <summary>The orchestration version the instance was created with; null for none.</summary>
    public string? Version { get; init; }

    /// <summary>When a scheduled start is in the future, the time it starts.</summary>
    public DateTimeOffset? ScheduledStartAt { get; init; }
}
