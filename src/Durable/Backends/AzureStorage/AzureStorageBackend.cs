using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>The Azure Storage backend: control queues partitioned by instance id, a work-item queue, History and Instances tables, large payloads in blobs.</summary>
/// <remarks>
/// <para><b>Locking.</b> An instance is locked through its instance row in the History table (lock token and lock-until,
/// set with an ETag-conditional replace), not through a lease per control-queue partition. Any worker may read any control
/// queue, so there is no partition ownership to balance or renew; the price is one table write per episode. The lock only
/// keeps workers from doing the same work twice: correctness comes from the ETag, which every history write presents, so a
/// worker whose lock expired and was taken over cannot write a single row (<see cref="WorkItemLockLostException"/>).</para>
/// <para><b>Commit order.</b> Activity requests and messages are sent first, then the history and the instance row are
/// written in ETag-guarded batches, then the Instances projection, then the consumed messages are deleted. A crash before
/// the history write leaves the consumed messages in the queue: the episode runs again and sends the same messages again,
/// which receivers drop as duplicates. A crash after it leaves only duplicates to be dropped.</para>
/// <para><b>Fencing.</b> An activity request and a timer carry the lock token of the episode that sent them, and the history
/// row of their TaskScheduled/TimerCreated carries the token of the episode that committed. When an expired lock lets two
/// workers run an episode, the loser's requests are still sent (step 1 comes before the ETag check); their answers carry a
/// token that matches no committed row and are dropped here, so an answer is only ever matched to the call that asked it.</para>
/// <para><b>Out of order.</b> Messages for an instance with no state are handed out with a null state (the engine puts them
/// back with a delay); after <see cref="AzureStorageBackendOptions.MaxOutOfOrderDeliveries"/> deliveries they are dropped.</para>
/// </remarks>
public sealed class AzureStorageBackend : IDurableBackend
{
    private readonly AzureStorageBackendOptions options;
    private readonly TaskHubResources hub;
    private readonly LargePayloadStore payloads;
    private readonly HistoryTable history;
    private readonly StatusTable statuses;
    private readonly EnvelopeQueues queues;
    private readonly ICommitStepListener? listener;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly ControlMessageBuffer controlBuffer = new();
    private readonly List<ReceivedEnvelope> activityBuffer = [];
    private readonly ConcurrentDictionary<string, DateTimeOffset> lockedHere = new(StringComparer.Ordinal);
    private int timerLinksForwarded;

    public AzureStorageBackend(AzureStorageBackendOptions options, ICommitStepListener? listener = null, ILogger<AzureStorageBackend>? logger = null, TimeProvider? timeProvider = null)
    {
        options.Validate();
        this.options = options;
        this.listener = listener;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        time = timeProvider ?? TimeProvider.System;
        hub = new TaskHubResources(options);
        payloads = new LargePayloadStore(hub.Payloads, options.LargePayloadThresholdBytes);
        history = new HistoryTable(hub.History, payloads);
        statuses = new StatusTable(hub.Instances, payloads);
        queues = new EnvelopeQueues(hub, payloads, options, time, this.logger);
    }

    public AzureStorageBackendOptions Options => options;

    /// <summary>How many early timer links this worker sent on (a timer past <see cref="AzureStorageBackendOptions.MaxTimerMessageDelay"/> is a chain).</summary>
    internal int TimerLinksForwarded => Volatile.Read(ref timerLinksForwarded);

    internal TaskHubResources Resources => hub;

    /// <summary>Told (instance id, events written) right after a history write succeeded: lets the fault suite count committed episodes exactly.</summary>
    internal Action<string, int>? HistoryCommitted { get; set; }

    /// <summary>Deletes every queue, table and the container of the task hub (tests and tear-down).</summary>
    public Task DeleteTaskHubAsync(CancellationToken cancellationToken = default) => hub.DeleteAllAsync(cancellationToken);

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => hub.CreateIfNotExistsAsync(cancellationToken);

    public async Task<CreateInstanceResult> CreateInstanceAsync(string instanceId, ExecutionStarted started, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await StartInstanceAsync(instanceId, started with { Timestamp = now }, StartMessageId(instanceId, started), now, cancellationToken);
    }

    public async Task SendMessagesAsync(IReadOnlyList<OrchestrationMessage> messages, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            await SendOneAsync(messages[i], null, i, null, cancellationToken);
        }
    }

    public async Task<OrchestrationWorkItem?> LockNextOrchestrationWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var received = false;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var now = time.GetUtcNow();
            var next = controlBuffer.TakeNext(now, now + lockDuration, IsLockedHere);
            if (next is null)
            {
                if (received)
                {
                    return null;
                }

                // Received messages stay invisible for twice the lock so that they can wait here a little and still cover a lock.
                var batch = await queues.ReceiveControlAsync(lockDuration * 2, cancellationToken);
                received = true;
                controlBuffer.Add(await ChainEarlyMessagesAsync(batch, cancellationToken));
                continue;
            }

            var item = await TryLockAsync(next.Value.InstanceId, next.Value.Messages, lockDuration, cancellationToken);
            if (item is not null)
            {
                return item;
            }
        }

        return null;
    }

    public async Task CompleteOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, OrchestrationCommit commit, CancellationToken cancellationToken = default)
    {
        var held = workItem.BackendContext as OrchestrationLock
            ?? throw new ArgumentException("workItem: was not locked by this backend.", nameof(workItem));
        var row = held.Row;
        try
        {
            if (time.GetUtcNow() > workItem.LockedUntil)
            {
                // Cheap early exit: a lock that expired may have been taken, and then sending anything would be wasted.
                var current = await history.ReadInstanceAsync(workItem.InstanceId, cancellationToken);
                if (current is null || current.ETag != row.ETag)
                {
                    throw new WorkItemLockLostException($"The lock on instance '{workItem.InstanceId}' expired and was taken by another worker.");
                }
            }

            // 1. Activity requests. Those whose TaskScheduled this episode writes carry its token (see Fencing).
            var scheduledNow = commit.NewHistory.OfType<TaskScheduled>().Select(t => t.TaskId).ToHashSet();
            await Task.WhenAll(commit.ActivityRequests.Select((request, i) =>
                queues.SendActivityAsync(request, scheduledNow.Contains(request.TaskScheduledId) ? workItem.LockToken : null, i, cancellationToken)));
            await StepAsync(CommitStep.ActivityRequestsSent, workItem.InstanceId, cancellationToken);

            // 2. Messages to other instances and timers to itself, in order (a start before the events sent to the same child).
            var timersNow = commit.NewHistory.OfType<TimerCreated>().Select(t => t.TimerId).ToHashSet();
            for (var i = 0; i < commit.OutboundMessages.Count; i++)
            {
                var message = commit.OutboundMessages[i];
                var token = message.InstanceId == workItem.InstanceId && message.Event is TimerFired fired && timersNow.Contains(fired.TimerId)
                    ? workItem.LockToken
                    : null;
                await SendOneAsync(message, token, i, workItem.InstanceId, cancellationToken);
            }

            await StepAsync(CommitStep.MessagesSent, workItem.InstanceId, cancellationToken);

            // 3. History and the instance row, guarded by the ETag of the lock.
            var state = commit.State ?? row.State;
            var firstSequence = 0;
            if (state is null)
            {
                // Messages dropped for an instance that does not exist: remove the lock stub, which proves the lock still held.
                if (!await history.TryDeleteInstanceRowAsync(row, cancellationToken))
                {
                    throw new WorkItemLockLostException($"The lock stub of instance '{workItem.InstanceId}' was changed by another worker; this episode is not committed.");
                }
            }
            else
            {
                firstSequence = commit.ReplacesHistory || state.ExecutionId != row.ExecutionId ? 0 : row.HistoryCount;
                var committed = row with
                {
                    ExecutionId = state.ExecutionId,
                    HistoryCount = firstSequence + commit.NewHistory.Count,
                    State = state,
                    LockToken = null,
                    LockedUntil = null,
                };
                _ = await history.TryCommitAsync(row, committed, firstSequence, commit.NewHistory, workItem.LockToken, cancellationToken)
                    ?? throw new WorkItemLockLostException($"Instance '{workItem.InstanceId}' was changed by another worker (its lock expired); this episode is not committed.");
                HistoryCommitted?.Invoke(workItem.InstanceId, commit.NewHistory.Count);
                history.ForgetIfEnded(workItem.InstanceId, commit);
            }

            await StepAsync(CommitStep.HistoryWritten, workItem.InstanceId, cancellationToken);

            // The episode is committed: what follows finishes it even when the worker is stopping. Left half done, its consumed
            // messages would come back, and after a ContinueAsNew the new execution, whose history does not hold their ids,
            // would take a client's event a second time.
            var finishing = CancellationToken.None;

            // 4. The Instances projection that queries read.
            if (commit.State is not null)
            {
                await statuses.UpsertAsync(commit.State, finishing);
            }

            await StepAsync(CommitStep.StateWritten, workItem.InstanceId, finishing);
            if (row.State is not null && commit.State is not null)
            {
                await DeleteReplacedStateAsync(workItem.InstanceId, row.State, commit.State);
            }

            // 5. Consumed messages go; the others become visible again for the next episode.
            var consumed = commit.ConsumedMessageIds.ToHashSet(StringComparer.Ordinal);
            await Task.WhenAll(held.MessagesById.SelectMany(pair => pair.Value.Select(Task (received) => consumed.Contains(pair.Key)
                ? queues.DeleteAsync(received, finishing)
                : queues.SetVisibilityAsync(received, TimeSpan.Zero, finishing))));
            await StepAsync(CommitStep.MessagesDeleted, workItem.InstanceId, finishing);

            if (state is not null && firstSequence == 0 && row.ExecutionId is not null && row.ExecutionId != state.ExecutionId)
            {
                await DeleteEndedExecutionAsync(workItem.InstanceId, row.ExecutionId, finishing);
            }
        }
        finally
        {
            lockedHere.TryRemove(workItem.InstanceId, out _);
        }
    }

    /// <summary>How many instances' histories this backend holds in memory (an ended execution's is dropped at once).</summary>
    internal int CachedHistories => history.CachedHistories;

    public async Task AbandonOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default)
    {
        var held = workItem.BackendContext as OrchestrationLock
            ?? throw new ArgumentException("workItem: was not locked by this backend.", nameof(workItem));
        try
        {
            await Task.WhenAll(held.MessagesById.Values.SelectMany(list => list).Select(Task (received) =>
                queues.SetVisibilityAsync(received, retryAfter ?? TimeSpan.Zero, cancellationToken)));
            if (held.Row.State is null)
            {
                // A lock stub for an instance that does not exist: leave nothing behind.
                await history.TryDeleteInstanceRowAsync(held.Row, cancellationToken);
            }
            else
            {
                await history.TryReplaceInstanceAsync(held.Row with { LockToken = null, LockedUntil = null }, cancellationToken);
            }
        }
        finally
        {
            lockedHere.TryRemove(workItem.InstanceId, out _);
        }
    }

    public async Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var received = TakeBufferedActivity(lockDuration);
        if (received is null)
        {
            var batch = await queues.ReceiveActivitiesAsync(16, lockDuration, cancellationToken);
            lock (activityBuffer)
            {
                activityBuffer.AddRange(batch);
            }

            received = TakeBufferedActivity(lockDuration);
            if (received is null)
            {
                return null;
            }
        }

        if (received.InvisibleUntil - time.GetUtcNow() < lockDuration * 0.75)
        {
            // It waited in the buffer: extend it to a full lock before handing it out.
            received = await queues.SetVisibilityAsync(received, lockDuration, cancellationToken);
            if (received is null)
            {
                return null;
            }
        }

        var request = await queues.TryReadActivityRequestAsync(received, cancellationToken);
        if (request is null)
        {
            return null;
        }

        return new ActivityWorkItem(received.QueueMessageId, request, received.PopReceipt, received.InvisibleUntil, (int)received.DequeueCount)
        {
            BackendContext = received,
        };
    }

    public async Task<ActivityWorkItem> RenewActivityWorkItemLockAsync(ActivityWorkItem workItem, TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var received = ActivityContext(workItem);
        var renewed = await queues.SetVisibilityAsync(received, lockDuration, cancellationToken)
            ?? throw new WorkItemLockLostException($"Activity work item {workItem.Id} ({workItem.Request.Name}) is no longer held: its lock expired and another worker received it.");
        return workItem with { LockToken = renewed.PopReceipt, LockedUntil = renewed.InvisibleUntil, BackendContext = renewed };
    }

    public async Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, OrchestrationMessage result, CancellationToken cancellationToken = default)
    {
        var received = ActivityContext(workItem);
        await queues.SendToInstanceAsync(result, received.Envelope.EpisodeToken, 0, cancellationToken);
        await StepAsync(CommitStep.ActivityResultSent, workItem.Request.InstanceId, cancellationToken);
        if (!await queues.DeleteAsync(received, cancellationToken))
        {
            // Another worker received it after our lock expired; it will run again and its result will be a duplicate.
            logger.LogWarning("Activity work item {WorkItemId} ({ActivityName}) was completed after its lock expired.", workItem.Id, workItem.Request.Name);
        }

        await StepAsync(CommitStep.ActivityDeleted, workItem.Request.InstanceId, cancellationToken);
    }

    public async Task AbandonActivityWorkItemAsync(ActivityWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default) =>
        await queues.SetVisibilityAsync(ActivityContext(workItem), retryAfter ?? TimeSpan.Zero, cancellationToken);

    public async Task<InstanceState?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        (await history.ReadInstanceAsync(instanceId, cancellationToken))?.State;

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var row = await history.ReadInstanceAsync(instanceId, cancellationToken);
        if (row is null)
        {
            return [];
        }

        var events = await history.ReadHistoryAsync(instanceId, row.ExecutionId, row.HistoryCount, cancellationToken);
        return events.Select(e => e.Event).ToList();
    }

    public Task<InstanceQueryPage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        statuses.QueryAsync(query, cancellationToken);

    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var row = await history.ReadInstanceAsync(instanceId, cancellationToken);
        if (row?.State is null || !row.State.RuntimeStatus.IsTerminal())
        {
            return false;
        }

        // The conditional delete of the instance row first: a restart that raced us wins, and we purge nothing.
        if (!await history.TryDeleteInstanceRowAsync(row, cancellationToken))
        {
            return false;
        }

        await history.DeletePartitionAsync(instanceId, cancellationToken);
        await statuses.DeleteAsync(instanceId, cancellationToken);
        await payloads.DeleteInstanceAsync(instanceId, cancellationToken);
        return true;
    }

    private static string StartMessageId(string instanceId, ExecutionStarted started) => $"{instanceId}|{started.ExecutionId}|start";

    private bool IsLockedHere(string instanceId) => lockedHere.TryGetValue(instanceId, out var until) && until > time.GetUtcNow();

    private static ReceivedEnvelope ActivityContext(ActivityWorkItem workItem) =>
        workItem.BackendContext is ReceivedEnvelope received
            ? received with { PopReceipt = workItem.LockToken }
            : throw new ArgumentException("workItem: was not locked by this backend.", nameof(workItem));

    private async Task StepAsync(CommitStep step, string instanceId, CancellationToken cancellationToken)
    {
        if (listener is not null)
        {
            await listener.OnCommitStepAsync(step, instanceId, cancellationToken);
        }
    }

    /// <summary>Sends one message; a start message to another instance also creates the target's Pending state when it has none or a terminal one.</summary>
    /// <remarks>A start an instance sends to itself is ContinueAsNew: its commit writes the new execution's state itself.</remarks>
    private async Task SendOneAsync(OrchestrationMessage message, string? episodeToken, int order, string? senderInstanceId, CancellationToken cancellationToken)
    {
        if (message.Event is ExecutionStarted started && message.InstanceId != senderInstanceId)
        {
            await StartInstanceAsync(message.InstanceId, started, message.MessageId, started.Timestamp == default ? time.GetUtcNow() : started.Timestamp, cancellationToken);
            return;
        }

        await queues.SendToInstanceAsync(message, episodeToken, order, cancellationToken);
    }

    /// <summary>
    /// Creates or restarts an instance. The start message is sent before the state is written: a crash in between leaves a
    /// message that creates the state when it is received, whereas the other order would leave a Pending instance that never starts.
    /// </summary>
    private async Task<CreateInstanceResult> StartInstanceAsync(string instanceId, ExecutionStarted started, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sent = false;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var row = await history.ReadInstanceAsync(instanceId, cancellationToken);
            if (row?.State is { } existing && !existing.RuntimeStatus.IsTerminal())
            {
                // Pending, Running or Suspended: idempotent. If our start was already sent, a worker may have created it from that message.
                return new CreateInstanceResult(existing, sent && existing.ExecutionId == started.ExecutionId);
            }

            if (row?.State is { } ended && ended.ExecutionId == started.ExecutionId && !sent)
            {
                // The start of an execution that has run and ended, sent again by a parent whose episode ran again after a
                // crash (its child's execution id is derived from its own): running the child twice would repeat its work.
                return new CreateInstanceResult(ended, false);
            }

            if (!sent)
            {
                var message = new OrchestrationMessage(instanceId, null, started, messageId) { VisibleAt = started.ScheduledStartAt };
                await queues.SendToInstanceAsync(message, null, 0, cancellationToken);
                sent = true;
            }

            var pending = started.PendingState(instanceId, now);
            // A lock held on the old row stays (its holder's commit fails on the ETag anyway); the history restarts at 0.
            var next = new InstanceRow(instanceId, started.ExecutionId, 0, pending, row?.LockToken, row?.LockedUntil, row?.ETag ?? default);
            var etag = row is null
                ? await history.TryAddInstanceAsync(next, cancellationToken)
                : await history.TryReplaceInstanceAsync(next, cancellationToken);
            if (etag is not null)
            {
                await statuses.UpsertAsync(pending, cancellationToken);
                if (row?.State is not null)
                {
                    await DeleteReplacedStateAsync(instanceId, row.State, pending);
                }

                return new CreateInstanceResult(pending, true);
            }
        }

        throw new InvalidOperationException($"Instance '{instanceId}' kept changing while it was being created; try again.");
    }

    /// <summary>Sends on the messages that arrived before their time (links of a timer chain) and returns the others.</summary>
    private async Task<List<ReceivedEnvelope>> ChainEarlyMessagesAsync(List<ReceivedEnvelope> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var early = batch.Where(m => m.Envelope.VisibleAt > now).ToList();
        if (early.Count == 0)
        {
            return batch;
        }

        await Task.WhenAll(early.Select(m => queues.ChainAsync(m, cancellationToken)));
        Interlocked.Add(ref timerLinksForwarded, early.Count);
        return batch.Except(early).ToList();
    }

    private async Task<OrchestrationWorkItem?> TryLockAsync(string instanceId, List<ReceivedEnvelope> messages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await history.ReadInstanceAsync(instanceId, cancellationToken);
        if (row is not null && row.IsLockedAt(now))
        {
            controlBuffer.PutBack(instanceId, messages, now + options.LockedInstanceRetryDelay);
            return null;
        }

        var decoded = new List<(ReceivedEnvelope Received, OrchestrationMessage Message)>();
        foreach (var received in messages.OrderBy(m => m.Envelope.SentAt).ThenBy(m => m.Envelope.Order))
        {
            if (await queues.TryReadOrchestrationMessageAsync(received, cancellationToken) is { } message)
            {
                decoded.Add((received, message));
            }
        }

        var drop = new List<ReceivedEnvelope>();
        var keep = new List<(ReceivedEnvelope Received, OrchestrationMessage Message)>();
        var state = row?.State;
        ExecutionStarted? restart = null;
        foreach (var (received, message) in decoded)
        {
            if (message.Event is ExecutionStarted started)
            {
                var current = restart?.ExecutionId ?? state?.ExecutionId;
                var replaceable = restart is null && (state is null || state.RuntimeStatus.IsTerminal());
                if (replaceable && started.ExecutionId != current)
                {
                    // The client sent the start but did not get to write the state (or a worker got here first): it starts now.
                    restart = started;
                }
                else if (started.ExecutionId != current)
                {
                    // A start for another execution while this one lives: a create that lost a race. Scheduling is idempotent.
                    drop.Add(received);
                    continue;
                }
            }

            keep.Add((received, message));
        }

        if (restart is null && state is null)
        {
            // No instance yet (a message that overtook its start, or an event for an id never scheduled): bounded retries.
            foreach (var item in keep.Where(k => k.Received.DequeueCount > options.MaxOutOfOrderDeliveries).ToList())
            {
                logger.LogWarning("Dropping message {MessageId} for instance {InstanceId}: the instance still does not exist after {Deliveries} deliveries.", item.Message.MessageId, instanceId, item.Received.DequeueCount);
                keep.Remove(item);
                drop.Add(item.Received);
            }
        }

        if (keep.Count == 0)
        {
            await DeleteAllAsync(drop, cancellationToken);
            return null;
        }

        var token = Guid.NewGuid().ToString("N");
        var lockedUntil = now + lockDuration;
        var locked = restart is null
            ? (row ?? new InstanceRow(instanceId, null, 0, null, null, null, default)) with { LockToken = token, LockedUntil = lockedUntil }
            : new InstanceRow(instanceId, restart.ExecutionId, 0, restart.PendingState(instanceId, restart.Timestamp == default ? now : restart.Timestamp), token, lockedUntil, row?.ETag ?? default);
        var etag = row is null
            ? await history.TryAddInstanceAsync(locked, cancellationToken)
            : await history.TryReplaceInstanceAsync(locked, cancellationToken);
        if (etag is null)
        {
            // Another worker locked or changed it between our read and write.
            controlBuffer.PutBack(instanceId, keep.Select(k => k.Received).ToList(), now + options.LockedInstanceRetryDelay);
            await DeleteAllAsync(drop, cancellationToken);
            return null;
        }

        lockedHere[instanceId] = lockedUntil;
        locked = locked with { ETag = etag.Value };
        try
        {
            var events = await history.ReadHistoryAsync(instanceId, locked.ExecutionId, locked.HistoryCount, cancellationToken);
            foreach (var item in keep.Where(k => IsAnswerFromLostEpisode(k.Received, k.Message, events)).ToList())
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Dropping {EventType} message {MessageId} for instance {InstanceId}: it answers a call sent by an episode that was not committed.", item.Message.Event.GetType().Name, item.Message.MessageId, instanceId);
                }

                keep.Remove(item);
                drop.Add(item.Received);
            }

            await DeleteAllAsync(drop, cancellationToken);
            if (keep.Count == 0)
            {
                await history.TryReplaceInstanceAsync(locked with { LockToken = null, LockedUntil = null }, cancellationToken);
                lockedHere.TryRemove(instanceId, out _);
                return null;
            }

            if (locked.State is not null && (restart is not null || keep.Any(k => k.Received.DequeueCount > 1)))
            {
                // A redelivery may follow a crash between the history write and the projection: repair the projection first.
                await statuses.UpsertAsync(locked.State, cancellationToken);
            }

            var byId = keep.GroupBy(k => k.Message.MessageId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(k => k.Received).ToList(), StringComparer.Ordinal);
            return new OrchestrationWorkItem(instanceId, events.Select(e => e.Event).ToList(), keep.Select(k => k.Message).ToList(), locked.State, token, lockedUntil)
            {
                BackendContext = new OrchestrationLock(locked, byId),
            };
        }
        catch
        {
            lockedHere.TryRemove(instanceId, out _);
            throw;
        }
    }

    /// <summary>True for an activity result or timer whose call was committed by a different episode than the one that sent it (see Fencing).</summary>
    private static bool IsAnswerFromLostEpisode(ReceivedEnvelope received, OrchestrationMessage message, IReadOnlyList<(HistoryEvent Event, string? Token)> events)
    {
        var token = received.Envelope.EpisodeToken;
        if (token is null)
        {
            return false;
        }

        int? callId = message.Event switch
        {
            TaskCompleted c => c.TaskScheduledId,
            TaskFailed f => f.TaskScheduledId,
            TimerFired t => t.TimerId,
            _ => null,
        };
        if (callId is null)
        {
            return false;
        }

        var isTimer = message.Event is TimerFired;
        foreach (var (stored, storedToken) in events)
        {
            var matches = isTimer
                ? stored is TimerCreated created && created.TimerId == callId
                : stored is TaskScheduled scheduled && scheduled.TaskId == callId;
            if (matches)
            {
                return storedToken is not null && storedToken != token;
            }
        }

        return false;
    }

    private async Task DeleteAllAsync(List<ReceivedEnvelope> messages, CancellationToken cancellationToken)
    {
        if (messages.Count > 0)
        {
            await Task.WhenAll(messages.Select(m => queues.DeleteAsync(m, cancellationToken)));
        }
    }

    /// <summary>
    /// Neither the instance row nor the Instances projection names the replaced state any more, so its blob, if it had one,
    /// goes: otherwise every episode of an instance with a large state (a long recording's segment list) left one behind
    /// until purge.
    /// </summary>
    private async Task DeleteReplacedStateAsync(string instanceId, InstanceState replaced, InstanceState current)
    {
        try
        {
            await payloads.DeleteSupersededStateAsync(instanceId, DurableJson.Serialize(replaced), DurableJson.Serialize(current), CancellationToken.None);
        }
        catch (Azure.RequestFailedException ex)
        {
            logger.LogWarning(ex, "Could not delete the replaced state of instance {InstanceId}; purging the instance will.", instanceId);
        }
    }

    /// <summary>
    /// Deletes the rows of the execution this episode ended, and only those: the lock is already released, so another
    /// worker may have committed the next execution's rows, or a later one's, by now.
    /// </summary>
    private async Task DeleteEndedExecutionAsync(string instanceId, string endedExecutionId, CancellationToken cancellationToken)
    {
        try
        {
            await history.DeleteExecutionAsync(instanceId, endedExecutionId, cancellationToken);
        }
        catch (Azure.RequestFailedException ex)
        {
            // Only tidiness: readers never look at other executions' rows, and purge deletes them.
            logger.LogWarning(ex, "Could not delete old history rows of instance {InstanceId}.", instanceId);
        }
    }

    private ReceivedEnvelope? TakeBufferedActivity(TimeSpan lockDuration)
    {
        var now = time.GetUtcNow();
        lock (activityBuffer)
        {
            // A message whose invisibility is nearly over may soon be received by another worker: forget it (it comes back
            // through the queue). The margin scales with the lease: a fixed second would drop every message of a one-second lease.
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, lockDuration.Ticks / 4));
            activityBuffer.RemoveAll(m => m.InvisibleUntil - now < margin);
            if (activityBuffer.Count == 0)
            {
                return null;
            }

            var first = activityBuffer[0];
            activityBuffer.RemoveAt(0);
            return first;
        }
    }
}
