using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends;

/// <summary>Where orchestrations, their histories and their messages live (modelled on DurableTask.Core's IOrchestrationService and IOrchestrationServiceClient).</summary>
/// <remarks>
/// <para>Delivery is at least once; the executor drops duplicates (a completion with no open task, a start for a started
/// execution, a message id already in the history), so a backend may redeliver after a crash.</para>
/// <para>An orchestration commit happens in this order, atomically where the store allows (SQLite: one transaction):
/// 1. enqueue activity requests, 2. send messages to other instances and timers, 3. append (or replace) history guarded by the
/// lock token, 4. write instance state, 5. delete the consumed messages. Each step is reported to the
/// <see cref="ICommitStepListener"/> the backend was given. A crash between two steps must lose nothing: steps 1-2 may be repeated
/// (receivers drop duplicates), step 3 fails if the lock was lost, step 5 happens only after 3 and 4.</para>
/// <para>An activity completion sends its result message first, then deletes the work item.</para>
/// </remarks>
public interface IDurableBackend
{
    /// <summary>Creates the tables, queues or schema if missing. Idempotent.</summary>
    Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an instance (state Pending) and sends its <see cref="ExecutionStarted"/> message (visible at
    /// <c>ScheduledStartAt</c> when set). If the id exists and is Pending, Running or Suspended, returns it unchanged with
    /// <c>Created = false</c>; if it exists in a terminal status, its history is dropped and it starts anew.</summary>
    Task<CreateInstanceResult> CreateInstanceAsync(string instanceId, ExecutionStarted started, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Sends messages to instances (events, terminate, suspend, resume; timers via <see cref="OrchestrationMessage.VisibleAt"/>).
    /// A message carrying <see cref="ExecutionStarted"/> creates the target's state (Pending) if it has none or a terminal one.</summary>
    Task SendMessagesAsync(IReadOnlyList<OrchestrationMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Locks the next instance that has visible messages and is not locked (or whose lock expired), with all its
    /// visible messages. Null when there is none.</summary>
    Task<OrchestrationWorkItem?> LockNextOrchestrationWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default);

    /// <summary>Commits an episode (see the remarks for the order) and releases the lock. Throws
    /// <see cref="WorkItemLockLostException"/> if the lock was lost; then nothing of steps 3-5 happened.</summary>
    Task CompleteOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, OrchestrationCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock without consuming anything; the messages are delivered again (after <paramref name="retryAfter"/> if given).</summary>
    Task AbandonOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default);

    /// <summary>Locks the next visible activity request. Null when there is none.</summary>
    Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default);

    /// <summary>Extends the lock of a running activity; returns the item with its new token and expiry. Throws
    /// <see cref="WorkItemLockLostException"/> if the lock was lost.</summary>
    Task<ActivityWorkItem> RenewActivityWorkItemLockAsync(ActivityWorkItem workItem, TimeSpan lockDuration, CancellationToken cancellationToken = default);

    /// <summary>Sends the activity's result (<see cref="TaskCompleted"/> or <see cref="TaskFailed"/>) to its orchestration, then deletes the work item.</summary>
    Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, OrchestrationMessage result, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock; the request becomes visible again (after <paramref name="retryAfter"/> if given).</summary>
    Task AbandonActivityWorkItemAsync(ActivityWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default);

    /// <summary>The instance's state, or null if there is no such instance.</summary>
    Task<InstanceState?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>The history of the instance's current execution, oldest first (empty if none).</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Instances matching the query, ordered by creation time then instance id, one page at a time.</summary>
    Task<InstanceQueryPage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the instance's state, history and pending messages. Only terminal instances are purged; returns whether one was.</summary>
    Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);
}
