using Recording.Durable.Instances;

namespace Recording.Durable.History;

/// <summary>The execution ended (Completed, Failed or Terminated); the last event of its history.</summary>
public sealed record ExecutionCompleted(OrchestrationRuntimeStatus Status, string? Result, TaskFailureDetails? FailureDetails) : HistoryEvent;
