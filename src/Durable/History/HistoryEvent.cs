using System.Text.Json.Serialization;

namespace Recording.Durable.History;

/// <summary>One event of an orchestration's history; also the payload of every message sent to an orchestration.</summary>
/// <remarks>
/// Serialized with System.Text.Json with a "$type" discriminator (see <see cref="DurableJson"/>), so a backend can store
/// history rows and queue messages as JSON. Add new event types additively: a new derived record and a new discriminator.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(ExecutionStarted), nameof(ExecutionStarted))]
[JsonDerivedType(typeof(OrchestratorStarted), nameof(OrchestratorStarted))]
[JsonDerivedType(typeof(TaskScheduled), nameof(TaskScheduled))]
[JsonDerivedType(typeof(TaskCompleted), nameof(TaskCompleted))]
[JsonDerivedType(typeof(TaskFailed), nameof(TaskFailed))]
[JsonDerivedType(typeof(TimerCreated), nameof(TimerCreated))]
[JsonDerivedType(typeof(TimerFired), nameof(TimerFired))]
[JsonDerivedType(typeof(EventRaised), nameof(EventRaised))]
[JsonDerivedType(typeof(SubOrchestrationInstanceCreated), nameof(SubOrchestrationInstanceCreated))]
[JsonDerivedType(typeof(SubOrchestrationInstanceCompleted), nameof(SubOrchestrationInstanceCompleted))]
[JsonDerivedType(typeof(SubOrchestrationInstanceFailed), nameof(SubOrchestrationInstanceFailed))]
[JsonDerivedType(typeof(ExecutionTerminated), nameof(ExecutionTerminated))]
[JsonDerivedType(typeof(ExecutionSuspended), nameof(ExecutionSuspended))]
[JsonDerivedType(typeof(ExecutionResumed), nameof(ExecutionResumed))]
[JsonDerivedType(typeof(ContinuedAsNew), nameof(ContinuedAsNew))]
[JsonDerivedType(typeof(ExecutionCompleted), nameof(ExecutionCompleted))]
public abstract record HistoryEvent
{
    /// <summary>When the event was recorded (for messages: when sent). Supplied by the dispatcher or client, never read by the executor from a clock.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Id of the message that delivered this event, kept so that a redelivered message is recognised as a duplicate.</summary>
    public string? MessageId { get; init; }
}
