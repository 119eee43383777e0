using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends;

/// <summary>An orchestration instance locked for one episode: its history, its new messages and the lock that guards the commit.</summary>
/// <param name="InstanceId">The locked instance.</param>
/// <param name="History">The history of the current execution, oldest first.</param>
/// <param name="NewMessages">Messages not yet consumed, in the order they were sent where the backend can tell.</param>
/// <param name="State">The stored instance state, null if the instance has none yet (a start message that created nothing).</param>
/// <param name="LockToken">Opaque token (lease id or ETag) that the commit or abandon must present.</param>
/// <param name="LockedUntil">When the lock expires and another worker may take the instance.</param>
public sealed record OrchestrationWorkItem(
    string InstanceId,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<OrchestrationMessage> NewMessages,
    InstanceState? State,
    string LockToken,
    DateTimeOffset LockedUntil)
{
    /// <summary>Whatever else the backend needs to commit (queue receipts, ETags); opaque to the engine, never serialized.</summary>
    public object? BackendContext { get; init; }
}
