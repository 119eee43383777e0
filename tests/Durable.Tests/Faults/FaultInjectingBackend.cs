using Recording.Durable.Backends;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Tests.Faults;

/// <summary>Wraps a real backend and throws <see cref="SimulatedCrashException"/> between the steps of commits and after calls,
/// so that the worker abandons what it holds (its locks then expire) exactly as a crashed process would.</summary>
/// <remarks>Build the inner backend with the factory argument, passing it this wrapper as its <see cref="ICommitStepListener"/>:
/// <c>new FaultInjectingBackend(listener => new SqliteDurableBackend(options, listener), shouldCrash)</c>.</remarks>
public sealed class FaultInjectingBackend : IDurableBackend, ICommitStepListener
{
    private readonly Func<FaultPoint, bool> shouldCrash;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> committedEpisodes = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> crashesByPoint = new(StringComparer.Ordinal);
    private int crashes;
    private int commitStepsSeen;
    private int refusedCommits;

    private int renewals;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string InstanceId, string? ExecutionId, int HistoryCount)> committedEpisodeStarts = new();

    public FaultInjectingBackend(Func<ICommitStepListener, IDurableBackend> createInner, Func<FaultPoint, bool> shouldCrash)
    {
        this.shouldCrash = shouldCrash;
        Inner = createInner(this);
    }

    private FaultInjectingBackend(Func<FaultPoint, bool> shouldCrash)
    {
        this.shouldCrash = shouldCrash;
        Inner = null!;
    }

    public IDurableBackend Inner { get; private set; }

    /// <summary>Activity lease renewals that succeeded.</summary>
    public int Renewals => Volatile.Read(ref renewals);

    /// <summary>For backends created asynchronously: <paramref name="createInner"/> gets this wrapper as its commit-step listener.</summary>
    public static async Task<FaultInjectingBackend> CreateAsync(Func<ICommitStepListener, Task<IDurableBackend>> createInner, Func<FaultPoint, bool> shouldCrash)
    {
        var wrapper = new FaultInjectingBackend(shouldCrash);
        wrapper.Inner = await createInner(wrapper);
        return wrapper;
    }

    /// <summary>Never crashes; only counts (renewals, commits).</summary>
    public static Func<FaultPoint, bool> Never => _ => false;

    /// <summary>While false, no fault is injected (set it false to let a run finish cleanly).</summary>
    public bool Enabled { get; set; } = true;

    public int Crashes => Volatile.Read(ref crashes);

    /// <summary>Crashes injected per point: the commit step name, or "after " and the method name.</summary>
    public IReadOnlyDictionary<string, int> CrashesByPoint => crashesByPoint;

    public int CommitStepsSeen => Volatile.Read(ref commitStepsSeen);

    /// <summary>Commits refused because the lock had been lost (another worker took the instance).</summary>
    public int RefusedCommits => Volatile.Read(ref refusedCommits);

    /// <summary>Before some commits, stall this long (longer than the lock lasts) as a paused process would, so that another worker takes over.</summary>
    public Func<bool>? StallBeforeCommit { get; set; }

    public TimeSpan StallDuration { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Awaited once an orchestration work item is locked, before it is returned: holds a worker's fetch in flight. The
    /// fetch then honours its cancellation as a store's answer would: the lock is taken, the answer dropped.</summary>
    public Func<Task>? AfterOrchestrationLocked { get; set; }

    /// <summary>Where each episode committed through this wrapper started: instance, execution and the length of the history it replayed.
    /// Two commits from the same start are the same episode committed twice.</summary>
    public IReadOnlyCollection<(string InstanceId, string? ExecutionId, int HistoryCount)> CommittedEpisodeStarts => committedEpisodeStarts;

    /// <summary>How many episodes (commits that wrote history) completed for the instance, through this wrapper.</summary>
    public int CommittedEpisodes(string instanceId) => committedEpisodes.GetValueOrDefault(instanceId);

    /// <summary>A crash decision with the given probability per point, from a seeded generator (thread-safe).</summary>
    public static Func<FaultPoint, bool> Randomly(int seed, double probability)
    {
        var random = new Random(seed);
        return _ =>
        {
            lock (random)
            {
                return random.NextDouble() < probability;
            }
        };
    }

    public ValueTask OnCommitStepAsync(CommitStep step, string instanceId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref commitStepsSeen);
        MaybeCrash(new FaultPoint(step, null, instanceId));
        return ValueTask.CompletedTask;
    }

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => Inner.CreateIfNotExistsAsync(cancellationToken);

    public Task<CreateInstanceResult> CreateInstanceAsync(string instanceId, ExecutionStarted started, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Inner.CreateInstanceAsync(instanceId, started, now, cancellationToken);

    public Task SendMessagesAsync(IReadOnlyList<OrchestrationMessage> messages, CancellationToken cancellationToken = default) =>
        Inner.SendMessagesAsync(messages, cancellationToken);

    public async Task<OrchestrationWorkItem?> LockNextOrchestrationWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var item = await Inner.LockNextOrchestrationWorkItemAsync(lockDuration, cancellationToken);
        if (item is not null)
        {
            if (AfterOrchestrationLocked is { } hold)
            {
                await hold();
                cancellationToken.ThrowIfCancellationRequested();
            }

            MaybeCrash(new FaultPoint(null, nameof(LockNextOrchestrationWorkItemAsync), item.InstanceId));
        }

        return item;
    }

    public async Task CompleteOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, OrchestrationCommit commit, CancellationToken cancellationToken = default)
    {
        if (Enabled && StallBeforeCommit?.Invoke() == true)
        {
            // Simulates a paused process (GC, swapped out), not a wait for a condition.
            await Task.Delay(StallDuration, cancellationToken);
        }

        try
        {
            await Inner.CompleteOrchestrationWorkItemAsync(workItem, commit, cancellationToken);
        }
        catch (WorkItemLockLostException)
        {
            Interlocked.Increment(ref refusedCommits);
            throw;
        }

        if (commit.NewHistory.Count > 0)
        {
            committedEpisodes.AddOrUpdate(workItem.InstanceId, 1, (_, n) => n + 1);
            committedEpisodeStarts.Enqueue((workItem.InstanceId, workItem.State?.ExecutionId, workItem.History.Count));
        }

        MaybeCrash(new FaultPoint(null, nameof(CompleteOrchestrationWorkItemAsync), workItem.InstanceId));
    }

    public Task AbandonOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default) =>
        Inner.AbandonOrchestrationWorkItemAsync(workItem, retryAfter, cancellationToken);

    public async Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var item = await Inner.LockNextActivityWorkItemAsync(lockDuration, cancellationToken);
        if (item is not null)
        {
            MaybeCrash(new FaultPoint(null, nameof(LockNextActivityWorkItemAsync), item.Request.InstanceId));
        }

        return item;
    }

    public async Task<ActivityWorkItem> RenewActivityWorkItemLockAsync(ActivityWorkItem workItem, TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var renewed = await Inner.RenewActivityWorkItemLockAsync(workItem, lockDuration, cancellationToken);
        Interlocked.Increment(ref renewals);
        return renewed;
    }

    public async Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, OrchestrationMessage result, CancellationToken cancellationToken = default)
    {
        await Inner.CompleteActivityWorkItemAsync(workItem, result, cancellationToken);
        MaybeCrash(new FaultPoint(null, nameof(CompleteActivityWorkItemAsync), workItem.Request.InstanceId));
    }

    public Task AbandonActivityWorkItemAsync(ActivityWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default) =>
        Inner.AbandonActivityWorkItemAsync(workItem, retryAfter, cancellationToken);

    public Task<InstanceState?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Inner.GetInstanceAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Inner.GetHistoryAsync(instanceId, cancellationToken);

    public Task<InstanceQueryPage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        Inner.QueryInstancesAsync(query, cancellationToken);

    public Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Inner.PurgeInstanceAsync(instanceId, cancellationToken);

    private void MaybeCrash(FaultPoint point)
    {
        if (Enabled && shouldCrash(point))
        {
            Interlocked.Increment(ref crashes);
            crashesByPoint.AddOrUpdate(point.Step?.ToString() ?? "after " + point.AfterCall, 1, (_, n) => n + 1);
            throw new SimulatedCrashException($"Simulated crash at {point}.");
        }
    }
}
