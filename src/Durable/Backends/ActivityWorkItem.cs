namespace Recording.Durable.Backends;

/// <summary>An activity request locked for running; the lock must be renewed while it runs.</summary>
/// <param name="Id">Backend id of the work item (row id, queue message id).</param>
/// <param name="Request">What to run.</param>
/// <param name="LockToken">Opaque token (lease id, pop receipt) for renew, complete and abandon.</param>
/// <param name="LockedUntil">When the lock expires and the item becomes visible to other workers.</param>
/// <param name="DequeueCount">How many times the item was locked, this time included.</param>
public sealed record ActivityWorkItem(string Id, ActivityRequest Request, string LockToken, DateTimeOffset LockedUntil, int DequeueCount)
{
    /// <summary>Whatever else the backend needs; opaque to the engine, never serialized.</summary>
    public object? BackendContext { get; init; }
}
