using Recording.Durable.History;

namespace Recording.Durable.Backends;

/// <summary>A message to an orchestration instance: the history event it delivers, and the execution it is meant for.</summary>
/// <param name="InstanceId">The target instance.</param>
/// <param name="ExecutionId">The target execution; null for messages meant for whatever execution is current (external events, terminate, suspend, resume, start).</param>
/// <param name="Event">The event to deliver.</param>
/// <param name="MessageId">Unique and deterministic where the sender is an orchestrator (so that a re-sent message has the same id); backends may use it to deduplicate.</param>
public sealed record OrchestrationMessage(string InstanceId, string? ExecutionId, HistoryEvent Event, string MessageId)
{
    /// <summary>The message is not delivered before this time (durable timers, scheduled starts). Null: at once.</summary>
    public DateTimeOffset? VisibleAt { get; init; }
}
