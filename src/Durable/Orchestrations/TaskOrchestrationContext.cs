using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Durable.Execution;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Orchestrations;

/// <summary>What an orchestrator calls: activities, sub-orchestrations, durable timers, external events, and the replay-safe clock, GUIDs and logger.</summary>
/// <remarks>Every call that schedules work takes the next sequence id; on replay the call must match the recorded one by id, kind and
/// name, or the instance fails with a <see cref="NonDeterministicOrchestrationException"/> naming both.</remarks>
public sealed class TaskOrchestrationContext
{
    private readonly SortedDictionary<int, PlannedAction> unmatchedActions = [];
    private readonly Dictionary<int, OpenTask> openTasks = [];
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EventRaised> bufferedEvents = [];
    private readonly ILoggerFactory loggerFactory;
    private int nextSequenceId;
    private int guidCounter;

    internal TaskOrchestrationContext(string instanceId, ILoggerFactory? loggerFactory)
    {
        InstanceId = instanceId;
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    public string InstanceId { get; }

    /// <summary>The orchestrator's registered name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The current execution (changes with each ContinueAsNew).</summary>
    public string ExecutionId { get; private set; } = "";

    /// <summary>
    /// The orchestration version this instance was created with, for good ("" for none): code that changes its steps branches
    /// on it, so that instances started by older code replay the steps they recorded.
    /// </summary>
    public string Version { get; private set; } = "";

    /// <summary>The orchestration that started this one as a sub-orchestration, if any.</summary>
    public ParentInstance? Parent { get; private set; }

    /// <summary>The time of the current episode, recorded in history: the same on every replay.</summary>
    public DateTime CurrentUtcDateTime => CurrentTime.UtcDateTime;

    /// <summary>True while the code is re-running over recorded history (its calls are not scheduled again).</summary>
    public bool IsReplaying { get; internal set; }

    internal DateTimeOffset CurrentTime { get; set; }

    internal string? CustomStatusJson { get; private set; }

    internal ContinueAsNewRequest? ContinueAsNewRequested { get; private set; }

    /// <summary>Calls an activity and returns its result; with a retry policy, failed attempts are retried after durable timers.</summary>
    public Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null) =>
        Typed<TResult>(options?.Retry is { } retry
            ? WithRetryAsync(() => CallActivityOnceAsync(name, input), retry)
            : CallActivityOnceAsync(name, input));

    /// <summary>Calls an activity that returns nothing the caller needs.</summary>
    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    /// <summary>Starts a sub-orchestration (with the instance id in <paramref name="options"/>, or a deterministic one) and returns its output.</summary>
    public Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null) =>
        Typed<TResult>(options?.Retry is { } retry
            ? WithRetryAsync(() => CallSubOrchestratorOnceAsync(orchestratorName, input, options.InstanceId, options.Version), retry)
            : CallSubOrchestratorOnceAsync(orchestratorName, input, options?.InstanceId, options?.Version));

    /// <summary>Starts a sub-orchestration and waits for it to finish.</summary>
    public Task CallSubOrchestratorAsync(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null) =>
        CallSubOrchestratorAsync<object?>(orchestratorName, input, options);

    /// <summary>A durable timer that fires at <paramref name="fireAt"/> (UTC); cancelling the token abandons it.</summary>
    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default)
    {
        var at = new DateTimeOffset(fireAt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(fireAt, DateTimeKind.Utc) : fireAt.ToUniversalTime());
        var id = nextSequenceId++;
        unmatchedActions[id] = new CreateTimerAction(id, at);
        var completion = new TaskCompletionSource<string?>();
        openTasks[id] = new OpenTask(OpenTaskKind.Timer, "timer", completion);
        if (cancellationToken.CanBeCanceled)
        {
            // Runs on the orchestrator's thread (Cancel is called by orchestrator code), so this stays single-threaded.
            cancellationToken.Register(() =>
            {
                if (openTasks.Remove(id))
                {
                    completion.TrySetCanceled(cancellationToken);
                }
            });
        }

        return completion.Task;
    }

    /// <summary>A durable timer that fires <paramref name="delay"/> after <see cref="CurrentUtcDateTime"/>.</summary>
    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default) =>
        CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>Waits for the next external event named <paramref name="eventName"/>; an event that arrived before the wait is delivered at once.</summary>
    public Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        Typed<T>(WaitForEventRawAsync(eventName, cancellationToken));

    /// <summary>Waits for an external event, racing a durable timer; throws <see cref="TimeoutException"/> if the timer wins.</summary>
    public Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var buffered = TakeBufferedEvent(eventName);
        return buffered is not null
            ? Task.FromResult(DurableJson.Deserialize<T>(buffered.Input)!)
            : WaitWithTimeoutAsync<T>(eventName, timeout, cancellationToken);
    }

    /// <summary>Ends this execution and starts a new one with <paramref name="newInput"/> and an empty history; unprocessed events are carried over unless told otherwise.</summary>
    /// <remarks>Return from the orchestrator right after calling this; its return value is ignored.</remarks>
    public void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true) =>
        ContinueAsNewRequested = new ContinueAsNewRequest(newInput is null ? null : DurableJson.Serialize(newInput), preserveUnprocessedEvents);

    /// <summary>Sets the status that clients see while the instance runs (kept after it ends).</summary>
    public void SetCustomStatus(object? customStatus) =>
        CustomStatusJson = customStatus is null ? null : DurableJson.Serialize(customStatus);

    /// <summary>A GUID that is the same on every replay (name-based, from the instance, execution and a counter).</summary>
    public Guid NewGuid() => DeterministicGuid.Create($"{InstanceId}|{ExecutionId}|guid|{guidCounter++}");

    /// <summary>A logger that writes nothing while replaying.</summary>
    public ILogger CreateReplaySafeLogger(string categoryName) => new ReplaySafeLogger(loggerFactory.CreateLogger(categoryName), () => IsReplaying);

    public ILogger CreateReplaySafeLogger<T>() => CreateReplaySafeLogger(typeof(T).FullName ?? typeof(T).Name);

    /// <summary>An episode that does not replay the code (a version mismatch) keeps the status the last episode set.</summary>
    internal void KeepCustomStatus(string? json) => CustomStatusJson = json;

    internal void Start(ExecutionStarted started)
    {
        Name = started.Name;
        ExecutionId = started.ExecutionId;
        Version = started.Version ?? "";
        Parent = started.Parent;
    }

    /// <summary>Matches a recorded scheduling event with the call the code made, or throws the non-determinism error.</summary>
    internal void MatchRecorded(HistoryEvent recorded, int recordedId)
    {
        if (unmatchedActions.Remove(recordedId, out var action))
        {
            if (!action.Matches(recorded))
            {
                throw new NonDeterministicOrchestrationException(
                    $"Non-deterministic orchestrator '{Name}': history records {PlannedAction.DescribeRecorded(recorded)}, but the code now calls {action.Describe()}.");
            }

            return;
        }

        throw new NonDeterministicOrchestrationException(
            $"Non-deterministic orchestrator '{Name}': history records {PlannedAction.DescribeRecorded(recorded)}, but the code now makes no call with that sequence id.");
    }

    /// <summary>The calls made since the last recorded one, in sequence order; they become this episode's new work.</summary>
    internal IReadOnlyList<PlannedAction> TakeNewActions()
    {
        var actions = unmatchedActions.Values.ToList();
        unmatchedActions.Clear();
        return actions;
    }

    /// <summary>Delivers a result to the open call with this id; false if there is none (a duplicate or a late timer), which is then dropped.</summary>
    internal bool Complete(int taskId, OpenTaskKind kind, string? result, TaskFailureDetails? failure)
    {
        if (!openTasks.TryGetValue(taskId, out var open) || open.Kind != kind)
        {
            return false;
        }

        openTasks.Remove(taskId);
        if (failure is null)
        {
            open.Completion.TrySetResult(result);
        }
        else
        {
            open.Completion.TrySetException(new TaskFailedException(open.Name, taskId, failure));
        }

        return true;
    }

    /// <summary>Delivers an external event to the first waiter for its name, or buffers it until someone waits.</summary>
    internal void Raise(EventRaised raised)
    {
        if (eventWaiters.TryGetValue(raised.Name, out var waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value.TrySetResult(raised.Input);
            return;
        }

        bufferedEvents.Add(raised);
    }

    internal IReadOnlyList<EventRaised> TakeBufferedEvents()
    {
        var events = bufferedEvents.ToList();
        bufferedEvents.Clear();
        return events;
    }

    /// <summary>Sub-orchestrations started and not finished (terminated with the parent when termination recurses).</summary>
    internal IReadOnlyList<string> OpenSubOrchestrationInstanceIds() =>
        openTasks.Values.Where(t => t.Kind == OpenTaskKind.SubOrchestration && t.SubInstanceId is not null).Select(t => t.SubInstanceId!).ToList();

    private Task<string?> CallActivityOnceAsync(string name, object? input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var id = nextSequenceId++;
        unmatchedActions[id] = new ScheduleTaskAction(id, name, input is null ? null : DurableJson.Serialize(input));
        var completion = new TaskCompletionSource<string?>();
        openTasks[id] = new OpenTask(OpenTaskKind.Activity, name, completion);
        return completion.Task;
    }

    private Task<string?> CallSubOrchestratorOnceAsync(string name, object? input, string? instanceId, string? version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var id = nextSequenceId++;
        var childId = string.IsNullOrEmpty(instanceId) ? $"{InstanceId}:{id:D4}" : instanceId;
        unmatchedActions[id] = new CreateSubOrchestrationAction(id, name, childId, input is null ? null : DurableJson.Serialize(input), version);
        var completion = new TaskCompletionSource<string?>();
        openTasks[id] = new OpenTask(OpenTaskKind.SubOrchestration, name, completion) { SubInstanceId = childId };
        return completion.Task;
    }

    private Task<string?> WaitForEventRawAsync(string eventName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (TakeBufferedEvent(eventName) is { } buffered)
        {
            return Task.FromResult(buffered.Input);
        }

        var completion = new TaskCompletionSource<string?>();
        if (!eventWaiters.TryGetValue(eventName, out var waiters))
        {
            waiters = new LinkedList<TaskCompletionSource<string?>>();
            eventWaiters[eventName] = waiters;
        }

        var node = waiters.AddLast(completion);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (node.List is not null)
                {
                    waiters.Remove(node);
                    completion.TrySetCanceled(cancellationToken);
                }
            });
        }

        return completion.Task;
    }

    private EventRaised? TakeBufferedEvent(string eventName)
    {
        var index = bufferedEvents.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            return null;
        }

        var raised = bufferedEvents[index];
        bufferedEvents.RemoveAt(index);
        return raised;
    }

    private async Task<T> WaitWithTimeoutAsync<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var loserCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var eventTask = WaitForEventRawAsync(eventName, loserCancellation.Token);
        var timerTask = CreateTimer(timeout, loserCancellation.Token);
        var winner = await Task.WhenAny(eventTask, timerTask);
        // Synchronous on purpose: the callbacks must run on the orchestrator's thread, which CancelAsync would not guarantee.
#pragma warning disable CA1849
        loserCancellation.Cancel();
#pragma warning restore CA1849
        if (winner == eventTask)
        {
            return DurableJson.Deserialize<T>(await eventTask)!;
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"External event '{eventName}' did not arrive within {timeout}.");
    }

    private async Task<string?> WithRetryAsync(Func<Task<string?>> attempt, RetryPolicy policy)
    {
        var firstAttemptAt = CurrentUtcDateTime;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure) when (number < policy.MaxNumberOfAttempts && (policy.HandleFailure?.Invoke(failure.FailureDetails) ?? true))
            {
                var delay = policy.DelayBeforeRetry(number);
                if (policy.RetryTimeout is { } limit && CurrentUtcDateTime + delay - firstAttemptAt > limit)
                {
                    throw;
                }

                await CreateTimer(delay);
            }
        }
    }

    private static async Task<T> Typed<T>(Task<string?> raw) => DurableJson.Deserialize<T>(await raw)!;

    internal enum OpenTaskKind
    {
        Activity,
        Timer,
        SubOrchestration,
    }

    internal sealed record OpenTask(OpenTaskKind Kind, string Name, TaskCompletionSource<string?> Completion)
    {
        public string? SubInstanceId { get; init; }
    }

    internal sealed record ContinueAsNewRequest(string? InputJson, bool PreserveUnprocessedEvents);
}
