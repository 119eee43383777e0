namespace Recording.Durable.History;

/// <summary>A sub-orchestration completed; sent by the child to its parent.</summary>
public sealed record SubOrchestrationInstanceCompleted(int TaskScheduledId, string? Result) : HistoryEvent;
