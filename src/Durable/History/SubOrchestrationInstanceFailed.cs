using Recording.Durable.Instances;

namespace Recording.Durable.History;

/// <summary>A sub-orchestration failed (or was terminated); sent by the child to its parent.</summary>
public sealed record SubOrchestrationInstanceFailed(int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent;
