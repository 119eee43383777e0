using Recording.Durable.History;

namespace Recording.Durable.Execution;

/// <summary>A call the orchestrator code made, waiting to be matched with its recorded event on replay or committed as new.</summary>
internal abstract record PlannedAction(int Id)
{
    /// <summary>The call as a reader of the orchestrator's code would recognise it, for non-determinism messages.</summary>
    public abstract string Describe();

    /// <summary>True if <paramref name="recorded"/> records this very call (same kind and name).</summary>
    public abstract bool Matches(HistoryEvent recorded);

    /// <summary>Describes a recorded scheduling event the same way as <see cref="Describe"/>.</summary>
    public static string DescribeRecorded(HistoryEvent recorded) => recorded switch
    {
        TaskScheduled t => $"CallActivityAsync(\"{t.Name}\") (sequence id {t.TaskId})",
        TimerCreated t => $"CreateTimer({t.FireAt:O}) (sequence id {t.TimerId})",
        SubOrchestrationInstanceCreated s => $"CallSubOrchestratorAsync(\"{s.Name}\") (sequence id {s.TaskId})",
        _ => recorded.GetType().Name,
    };
}

/// <summary>CallActivityAsync.</summary>
internal sealed record ScheduleTaskAction(int Id, string Name, string? Input) : PlannedAction(Id)
{
    public override string Describe() => $"CallActivityAsync(\"{Name}\") (sequence id {Id})";

    public override bool Matches(HistoryEvent recorded) => recorded is TaskScheduled t && t.TaskId == Id && string.Equals(t.Name, Name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>CreateTimer.</summary>
internal sealed record CreateTimerAction(int Id, DateTimeOffset FireAt) : PlannedAction(Id)
{
    public override string Describe() => $"CreateTimer({FireAt:O}) (sequence id {Id})";

    public override bool Matches(HistoryEvent recorded) => recorded is TimerCreated t && t.TimerId == Id;
}

/// <summary>CallSubOrchestratorAsync.</summary>
/// <remarks><see cref="Version"/> is the version the call asked for; null takes the worker's default version.</remarks>
internal sealed record CreateSubOrchestrationAction(int Id, string Name, string InstanceId, string? Input, string? Version) : PlannedAction(Id)
{
    public override string Describe() => $"CallSubOrchestratorAsync(\"{Name}\") (sequence id {Id})";

    public override bool Matches(HistoryEvent recorded) =>
        recorded is SubOrchestrationInstanceCreated s && s.TaskId == Id && string.Equals(s.Name, Name, StringComparison.OrdinalIgnoreCase);
}
