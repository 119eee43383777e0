using Azure;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>The instance row kept in the History table's partition of an instance: the authoritative state, the committed history length and the lock.</summary>
/// <remarks>
/// It lives in the same partition as the history rows so that one entity-group transaction can append events and move
/// this row together; its ETag is what every commit is guarded by. A row with no <see cref="State"/> is a lock stub, made
/// when messages arrive for an instance that does not exist yet.
/// </remarks>
internal sealed record InstanceRow(
    string InstanceId,
    string? ExecutionId,
    int HistoryCount,
    InstanceState? State,
    string? LockToken,
    DateTimeOffset? LockedUntil,
    ETag ETag)
{
    public bool IsLockedAt(DateTimeOffset now) => LockToken is not null && LockedUntil > now;
}
