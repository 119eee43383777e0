using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Durable.Activities;
using Recording.Durable.Backends;
using Recording.Durable.Execution;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Registry;

namespace Recording.Durable.Dispatch;

/// <summary>The dispatcher: runs orchestration episodes and activities from a backend, either pulling (<see cref="StartAsync"/>) or one
/// delivered message at a time (<see cref="ProcessDeliveredAsync"/>, for a queue trigger).</summary>
/// <remarks>Activities run at least once: a worker that dies after an activity ran but before its result was committed leaves the
/// work item to reappear when its lease expires, and it runs again. Activities must therefore be idempotent.</remarks>
public sealed partial class DurableWorker : IAsyncDisposable
{
    private readonly IDurableBackend backend;
    private readonly DurableTaskRegistry registry;
    private readonly DurableWorkerOptions options;
    private readonly WorkSignal signal;
    private readonly IServiceProvider? services;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly OrchestrationExecutor executor;
    private readonly RejectionWarnings rejectionWarnings;
    private CancellationTokenSource? stopping;
    private List<Task> loops = [];

    public DurableWorker(
        IDurableBackend backend,
        DurableTaskRegistry registry,
        DurableWorkerOptions? options = null,
        WorkSignal? signal = null,
        IServiceProvider? services = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null)
    {
        this.options = options ?? new DurableWorkerOptions();
        this.options.Validate();
        this.backend = backend;
        this.registry = registry;
        this.signal = signal ?? new WorkSignal();
        this.services = services;
        this.time = time ?? TimeProvider.System;
        rejectionWarnings = new RejectionWarnings(this.time);
        loggerFactory ??= NullLoggerFactory.Instance;
        logger = loggerFactory.CreateLogger<DurableWorker>();
        executor = new OrchestrationExecutor(registry, services, loggerFactory, this.options.Versioning);
    }

    /// <summary>The wake-up signal this worker listens to; give the same one to the in-process client.</summary>
    public WorkSignal Signal => signal;

    /// <summary>Starts pulling: one fetch loop per kind, running up to <see cref="DurableWorkerOptions.MaxConcurrentOrchestrations"/>
    /// episodes and <see cref="DurableWorkerOptions.MaxConcurrentActivities"/> activities at a time.</summary>
    /// <remarks>One fetcher per kind rather than one polling loop per slot (as DurableTask.Core's work-item dispatcher): a wake-up
    /// then costs one store request, not one per idle slot, which on a queue store would bury the one request that matters.</remarks>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (stopping is not null)
        {
            throw new InvalidOperationException("The worker is already started.");
        }

        stopping = new CancellationTokenSource();
        var token = stopping.Token;
        loops =
        [
            Task.Run(() => PollAsync(WorkItemKind.Orchestration, options.MaxConcurrentOrchestrations, token), CancellationToken.None),
            Task.Run(() => PollAsync(WorkItemKind.Activity, options.MaxConcurrentActivities, token), CancellationToken.None),
        ];
        return Task.CompletedTask;
    }

    /// <summary>Stops polling; running activities are cancelled and their work items abandoned so that another worker takes them.
    /// Episodes in flight finish their commits (see <see cref="RunEpisodeAsync"/>); <paramref name="cancellationToken"/> bounds the wait.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (stopping is null)
        {
            return;
        }

        await stopping.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(cancellationToken);
        stopping.Dispose();
        stopping = null;
        loops = [];
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Push mode: processes the work that a delivered queue message announces (one work item of its kind). Returns whether there was any.</summary>
    public Task<bool> ProcessDeliveredAsync(WorkNotification notification, CancellationToken cancellationToken = default) =>
        notification.Kind == WorkItemKind.Orchestration
            ? ProcessNextOrchestrationAsync(cancellationToken)
            : ProcessNextActivityAsync(cancellationToken);

    /// <summary>Locks and runs one orchestration episode, if one is waiting. Returns whether there was one.</summary>
    public async Task<bool> ProcessNextOrchestrationAsync(CancellationToken cancellationToken = default)
    {
        var workItem = await backend.LockNextOrchestrationWorkItemAsync(options.OrchestrationLockDuration, cancellationToken);
        if (workItem is null)
        {
            return false;
        }

        await RunEpisodeAsync(workItem);
        return true;
    }

    /// <summary>Locks and runs one activity, if one is waiting. Returns whether there was one.</summary>
    public async Task<bool> ProcessNextActivityAsync(CancellationToken cancellationToken = default)
    {
        var workItem = await backend.LockNextActivityWorkItemAsync(options.ActivityLockDuration, cancellationToken);
        if (workItem is null)
        {
            return false;
        }

        await RunActivityAsync(workItem, cancellationToken);
        return true;
    }

    private async Task PollAsync(WorkItemKind kind, int concurrency, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var idleWait = options.MinPollingInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var seen = kind == WorkItemKind.Orchestration ? signal.OrchestrationVersion : signal.ActivityVersion;
            Func<Task>? run = null;
            try
            {
                // The lock is not cut by a stop: a receive or lock write that the store performed but whose answer we dropped
                // would leave the work invisible, or its instance locked, until the lock expired. Taken while stopping, it is
                // given back at once.
                if (kind == WorkItemKind.Orchestration)
                {
                    var item = await backend.LockNextOrchestrationWorkItemAsync(options.OrchestrationLockDuration, CancellationToken.None);
                    run = item is null ? null
                        : cancellationToken.IsCancellationRequested ? () => GiveBackAsync(item)
                        : () => RunEpisodeAsync(item);
                }
                else
                {
                    var item = await backend.LockNextActivityWorkItemAsync(options.ActivityLockDuration, CancellationToken.None);
                    run = item is null ? null
                        : cancellationToken.IsCancellationRequested ? () => TryAbandonAsync(item)
                        : () => RunActivityAsync(item, cancellationToken);
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A store outage must not end the loop; it backs off like an empty poll.
                LogPollFailed(logger, exception, kind);
            }

            if (run is not null)
            {
                idleWait = options.MinPollingInterval;
                _ = RunInSlotAsync(run);
                continue;
            }

            slots.Release();
            try
            {
                if (kind == WorkItemKind.Orchestration)
                {
                    await signal.WaitForOrchestrationWorkAsync(seen, idleWait, time, cancellationToken);
                }
                else
                {
                    await signal.WaitForActivityWorkAsync(seen, idleWait, time, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            idleWait = TimeSpan.FromTicks(Math.Min(idleWait.Ticks * 2, options.MaxPollingInterval.Ticks));
        }

        // Stopping: running activities see the cancellation and abandon their work items; all slots free means all have ended.
        for (var i = 0; i < concurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }

        async Task RunInSlotAsync(Func<Task> work)
        {
            try
            {
                await Task.Yield();
                await work();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The item's lock expires and it is retried, here or by another worker.
                LogPollFailed(logger, exception, kind);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>Runs one episode and commits it.</summary>
    /// <remarks>No cancellation: the episode is short, and a commit cut by a stopping worker would leave its instance locked and
    /// its messages invisible until the locks expired (a minute or two in which no worker can carry the instance on). A stop
    /// therefore waits for the episodes in flight; its caller bounds that wait.</remarks>
    private async Task RunEpisodeAsync(OrchestrationWorkItem workItem)
    {
        OrchestrationExecutionResult result;
        try
        {
            result = executor.Execute(workItem, time.GetUtcNow());
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The executor turns orchestrator failures into a Failed instance; reaching here is an engine bug: retry later.
            LogEpisodeFailed(logger, exception, workItem.InstanceId);
            await backend.AbandonOrchestrationWorkItemAsync(workItem, options.ErrorRetryDelay, CancellationToken.None);
            return;
        }

        if (result.Commit is not { } commit)
        {
            if (result.Rejection is { } rejection)
            {
                if (rejectionWarnings.ShouldWarn(workItem.InstanceId))
                {
                    LogVersionRejected(logger, workItem.InstanceId, rejection);
                }
                else
                {
                    LogVersionRejectedAgain(logger, workItem.InstanceId, rejection);
                }
            }

            await backend.AbandonOrchestrationWorkItemAsync(workItem, result.RetryAfter, CancellationToken.None);
            return;
        }

        try
        {
            await backend.CompleteOrchestrationWorkItemAsync(workItem, commit, CancellationToken.None);
        }
        catch (WorkItemLockLostException exception)
        {
            // Another worker took the instance after our lock expired; it replays from the stored history, so nothing is lost.
            LogLockLost(logger, exception, workItem.InstanceId);
            return;
        }

        LogEpisodeCommitted(logger, workItem.InstanceId, commit.State?.Version);
        if (commit.ActivityRequests.Count > 0)
        {
            signal.NotifyActivityWork();
        }

        foreach (var message in commit.OutboundMessages)
        {
            if (message.VisibleAt is { } at && at > time.GetUtcNow())
            {
                signal.NotifyOrchestrationWorkAt(at);
            }
        }

        // Immediate messages, and messages for this instance that arrived while it was locked (an activity result that overtook
        // the commit that scheduled it): both are ready now.
        signal.NotifyOrchestrationWork();

        if (commit.State?.RuntimeStatus.IsTerminal() == true)
        {
            LogInstanceEnded(logger, workItem.InstanceId, commit.State.RuntimeStatus);
        }
    }

    private async Task RunActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken)
    {
        var request = workItem.Request;
        using var activityCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var renewalStop = new CancellationTokenSource();
        var current = workItem;
        var renewal = RenewWhileRunningAsync();

        HistoryEvent outcome;
        try
        {
            var activity = registry.CreateActivity(request.Name, services);
            if (activity is null)
            {
                outcome = new TaskFailed(request.TaskScheduledId, new TaskFailureDetails("ActivityNotFound", $"No activity named '{request.Name}' is registered with this worker."));
            }
            else
            {
                var input = DurableJson.Deserialize(request.Input, activity.InputType);
                if (input is null && activity.InputType.IsValueType)
                {
                    input = Activator.CreateInstance(activity.InputType);
                }

                var context = new TaskActivityContext(request.Name, request.InstanceId, request.TaskScheduledId, workItem.DequeueCount, activityCancellation.Token);
                var output = await activity.RunAsync(context, input);
                outcome = new TaskCompleted(request.TaskScheduledId, output is null ? null : DurableJson.Serialize(output));
            }
        }
        catch (Exception exception) when (activityCancellation.IsCancellationRequested && exception is not OutOfMemoryException)
        {
            // Stopping, or the lease was lost: not the activity's failure, even when the activity turned the cancellation into
            // an error of its own (a tool asked to quit whose output then fails its check). Let it run again (here or elsewhere).
            await renewalStop.CancelAsync();
            await renewal;
            await TryAbandonAsync(current);

            return;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            outcome = new TaskFailed(request.TaskScheduledId, TaskFailureDetails.FromException(exception));
        }

        await renewalStop.CancelAsync();
        await renewal;
        var result = new OrchestrationMessage(request.InstanceId, request.ExecutionId, outcome with { Timestamp = time.GetUtcNow() }, $"{request.RequestId}|result");
        try
        {
            await backend.CompleteActivityWorkItemAsync(current, result, CancellationToken.None);
        }
        catch (WorkItemLockLostException exception)
        {
            LogLockLost(logger, exception, request.InstanceId);
            return;
        }

        signal.NotifyOrchestrationWork();

        async Task RenewWhileRunningAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(options.RenewInterval, time, renewalStop.Token);
                    current = await backend.RenewActivityWorkItemLockAsync(current, options.ActivityLockDuration, renewalStop.Token);
                }
            }
            catch (OperationCanceledException) when (renewalStop.IsCancellationRequested)
            {
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The lease is gone (or the store is): another worker may run this activity; stop ours.
                LogRenewFailed(logger, exception, request.Name, request.InstanceId);
                await activityCancellation.CancelAsync();
            }
        }
    }

    private async Task GiveBackAsync(OrchestrationWorkItem workItem)
    {
        try
        {
            await backend.AbandonOrchestrationWorkItemAsync(workItem, null, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Its lock expires anyway.
            LogPollFailed(logger, exception, WorkItemKind.Orchestration);
        }
    }

    private async Task TryAbandonAsync(ActivityWorkItem workItem)
    {
        try
        {
            await backend.AbandonActivityWorkItemAsync(workItem, null, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Its lease expires anyway.
            LogPollFailed(logger, exception, WorkItemKind.Activity);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling for {Kind} work failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, WorkItemKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Episode of orchestration {InstanceId} failed in the engine; it will be retried")]
    private static partial void LogEpisodeFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lost the lock on work of {InstanceId}; another worker carries on")]
    private static partial void LogLockLost(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of activity {ActivityName} for {InstanceId} failed; cancelling it")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string activityName, string instanceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed an episode of orchestration {InstanceId} (version {Version})")]
    private static partial void LogEpisodeCommitted(ILogger logger, string instanceId, string? version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Left orchestration {InstanceId} for another worker: {Rejection}")]
    private static partial void LogVersionRejected(ILogger logger, string instanceId, string rejection);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Left orchestration {InstanceId} for another worker again: {Rejection}")]
    private static partial void LogVersionRejectedAgain(ILogger logger, string instanceId, string rejection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orchestration {InstanceId} ended: {RuntimeStatus}")]
    private static partial void LogInstanceEnded(ILogger logger, string instanceId, OrchestrationRuntimeStatus runtimeStatus);
}
