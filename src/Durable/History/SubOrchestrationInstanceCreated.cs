namespace Recording.Durable.History;

/// <summary>The orchestrator started a sub-orchestration; <see cref="TaskId"/> is the call's sequence id.</summary>
public sealed record SubOrchestrationInstanceCreated(int TaskId, string Name, string InstanceId, string? Input) : HistoryEvent;
