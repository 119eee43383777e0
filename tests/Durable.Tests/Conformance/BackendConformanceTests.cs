using Recording.Durable.Backends;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Tests.Conformance;

/// <summary>The behaviour every <see cref="IDurableBackend"/> must have. A backend's test class derives from this and supplies a fresh, empty backend.</summary>
/// <remarks>Backend-level tests are here; orchestration-level conformance (sequence, fan-out, timers, events...) runs the engine on the same factory.</remarks>
public abstract partial class BackendConformanceTests
{
    /// <summary>A fresh, empty backend (its store created), optionally reporting its commit steps to <paramref name="listener"/>.</summary>
    protected abstract Task<IDurableBackend> CreateBackendAsync(ICommitStepListener? listener = null);

    protected static readonly TimeSpan ShortLock = TimeSpan.FromSeconds(30);

    /// <summary>How many instances' histories the backend holds in memory.</summary>
    protected abstract int CachedHistories(IDurableBackend backend);

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    [Fact]
    public async Task CreateInstance_SameIdWhilePending_ReturnsExistingWithoutSecondStart()
    {
        var backend = await CreateBackendAsync();
        var first = await backend.CreateInstanceAsync("i1", new ExecutionStarted("Orch", "e1", "1"), Now);
        var second = await backend.CreateInstanceAsync("i1", new ExecutionStarted("Orch", "e2", "2"), Now);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal("e1", second.State.ExecutionId);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, second.State.RuntimeStatus);

        var item = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        Assert.NotNull(item);
        var start = Assert.IsType<ExecutionStarted>(Assert.Single(item.NewMessages).Event);
        Assert.Equal("1", start.Input);
    }

    [Fact]
    public async Task AnExecutionThatEnded_LeavesNoHistoryInMemory_WhileARunningOneKeepsItsForTheNextEpisode()
    {
        var backend = await CreateBackendAsync();
        foreach (var id in new[] { "ends", "continues" })
        {
            await backend.CreateInstanceAsync(id, new ExecutionStarted("Orch", "e1", null), Now);
            await NextEpisodeAsync(backend, item => [new OrchestratorStarted { Timestamp = Now }, item.NewMessages[0].Event], item => item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running });
        }

        // Each episode reads its history; a running execution's stays known for its next episode.
        foreach (var id in new[] { "ends", "continues" })
        {
            await backend.SendMessagesAsync([new OrchestrationMessage(id, null, new EventRaised("go", null), $"go-{id}")]);
            await NextEpisodeAsync(backend, item => [new OrchestratorStarted { Timestamp = Now }, item.NewMessages[0].Event], item => item.State!);
        }

        Assert.Equal(2, CachedHistories(backend));
        await backend.SendMessagesAsync([new OrchestrationMessage("ends", null, new EventRaised("go", null), "end-ends")]);
        await NextEpisodeAsync(
            backend,
            item => [new OrchestratorStarted { Timestamp = Now }, item.NewMessages[0].Event, new ExecutionCompleted(OrchestrationRuntimeStatus.Completed, "1", null)],
            item => item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Completed });
        Assert.Equal(1, CachedHistories(backend));

        await backend.SendMessagesAsync([new OrchestrationMessage("continues", null, new EventRaised("go", null), "continue-continues")]);
        await NextEpisodeAsync(backend, _ => [new ExecutionStarted("Orch", "e2", null)], item => item.State! with { ExecutionId = "e2" }, replacesHistory: true);
        Assert.Equal(0, CachedHistories(backend));
    }

    [Fact]
    public async Task AStartSentAgainForAnExecutionThatEnded_DoesNotRunItAgain()
    {
        var backend = await CreateBackendAsync();
        // A parent's start of its child, whose execution id is derived from the parent's: the same each time it is sent.
        var start = new OrchestrationMessage("child", null, new ExecutionStarted("Child", "child-e1", "1") { Parent = new ParentInstance("parent", "p-e1", 0) }, "child|child-e1|start");
        await backend.SendMessagesAsync([start]);
        await NextEpisodeAsync(
            backend,
            item => [new OrchestratorStarted { Timestamp = Now }, item.NewMessages[0].Event, new ExecutionCompleted(OrchestrationRuntimeStatus.Completed, "1", null)],
            item => item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Completed });

        // The parent's episode ran again after a crash between sending and committing, and sends the start once more.
        await backend.SendMessagesAsync([start]);

        Assert.Null(await backend.LockNextOrchestrationWorkItemAsync(ShortLock));
        var state = await backend.GetInstanceAsync("child");
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "child-e1"), (state!.RuntimeStatus, state.ExecutionId));
    }

    private static async Task NextEpisodeAsync(
        IDurableBackend backend, Func<OrchestrationWorkItem, List<HistoryEvent>> events, Func<OrchestrationWorkItem, InstanceState> state, bool replacesHistory = false)
    {
        var item = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        Assert.NotNull(item);
        await backend.CompleteOrchestrationWorkItemAsync(item, new OrchestrationCommit(events(item), [], [], state(item))
        {
            ReplacesHistory = replacesHistory,
            ConsumedMessageIds = item.NewMessages.Select(m => m.MessageId).ToList(),
        });
    }

    [Fact]
    public async Task EachEpisode_GetsTheWholeHistoryOfItsExecution_AndOnlyThatAfterContinueAsNew()
    {
        var backend = await CreateBackendAsync();
        await backend.CreateInstanceAsync("h1", new ExecutionStarted("Orch", "e1", null), Now);
        var episodes = new List<IReadOnlyList<HistoryEvent>>();
        for (var i = 0; i < 3; i++)
        {
            var item = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
            Assert.NotNull(item);
            episodes.Add(item.History);
            await backend.CompleteOrchestrationWorkItemAsync(item, new OrchestrationCommit(
                [new OrchestratorStarted { Timestamp = Now }, .. item.NewMessages.Select(m => m.Event)], [],
                [new OrchestrationMessage("h1", null, new EventRaised("tick", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"tick-{i}")],
                item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
            {
                ConsumedMessageIds = item.NewMessages.Select(m => m.MessageId).ToList(),
            });
        }

        // Every episode sees all that earlier ones committed (0, then 2, then 4 events), whatever a backend caches.
        Assert.Equal([0, 2, 4], episodes.Select(h => h.Count));
        var before = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        Assert.NotNull(before);
        Assert.Equal((await backend.GetHistoryAsync("h1")).Select(e => e.GetType()), before.History.Select(e => e.GetType()));

        // ContinueAsNew replaces the history under a new execution: the next episode must not see the old events.
        await backend.CompleteOrchestrationWorkItemAsync(before, new OrchestrationCommit(
            [new OrchestratorStarted { Timestamp = Now }, new ExecutionStarted("Orch", "e2", "next")], [],
            [new OrchestrationMessage("h1", null, new EventRaised("after", "1"), "after-1")],
            before.State! with { ExecutionId = "e2", RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ReplacesHistory = true,
            ConsumedMessageIds = before.NewMessages.Select(m => m.MessageId).ToList(),
        });
        var after = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        Assert.NotNull(after);
        Assert.Collection(after.History, e => Assert.IsType<OrchestratorStarted>(e), e => Assert.Equal("e2", Assert.IsType<ExecutionStarted>(e).ExecutionId));
    }

    [Fact]
    public async Task LockedInstance_IsNotHandedOutTwice_AndCommitConsumesOnlyItsMessages()
    {
        var backend = await CreateBackendAsync();
        await backend.CreateInstanceAsync("i1", new ExecutionStarted("Orch", "e1", null), Now);
        var item = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        Assert.NotNull(item);
        Assert.Null(await backend.LockNextOrchestrationWorkItemAsync(ShortLock));

        // A message that arrives while locked must survive the commit and come with the next lock.
        await backend.SendMessagesAsync([new OrchestrationMessage("i1", null, new EventRaised("go", "\"x\""), "m-late")]);
        var state = item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running, CustomStatus = "\"phase1\"" };
        await backend.CompleteOrchestrationWorkItemAsync(item, new OrchestrationCommit(
            [new OrchestratorStarted { Timestamp = Now }, item.NewMessages[0].Event], [], [], state)
        {
            ConsumedMessageIds = item.NewMessages.Select(m => m.MessageId).ToList(),
        });

        var stored = await backend.GetInstanceAsync("i1");
        Assert.Equal(OrchestrationRuntimeStatus.Running, stored!.RuntimeStatus);
        Assert.Equal("\"phase1\"", stored.CustomStatus);
        var history = await backend.GetHistoryAsync("i1");
        Assert.Collection(history, e => Assert.IsType<OrchestratorStarted>(e), e => Assert.IsType<ExecutionStarted>(e));

        var next = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        Assert.NotNull(next);
        Assert.Equal("m-late", Assert.Single(next.NewMessages).MessageId);
        Assert.Equal(2, next.History.Count);
    }

    [Fact]
    public async Task ExpiredLock_IsHandedToAnotherWorker_AndTheStaleCommitIsRefused()
    {
        var backend = await CreateBackendAsync();
        await backend.CreateInstanceAsync("i1", new ExecutionStarted("Orch", "e1", null), Now);
        var stale = await backend.LockNextOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(200));
        Assert.NotNull(stale);

        var fresh = await TestSupport.Eventually.WaitForAsync(
            () => backend.LockNextOrchestrationWorkItemAsync(ShortLock), TimeSpan.FromSeconds(10), "the expired lock to be taken", TimeSpan.FromMilliseconds(50));

        var commit = new OrchestrationCommit([stale.NewMessages[0].Event], [], [], stale.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = stale.NewMessages.Select(m => m.MessageId).ToList(),
        };
        await Assert.ThrowsAsync<WorkItemLockLostException>(() => backend.CompleteOrchestrationWorkItemAsync(stale, commit));
        Assert.Empty(await backend.GetHistoryAsync("i1"));
        await backend.CompleteOrchestrationWorkItemAsync(fresh, commit);
        Assert.Single(await backend.GetHistoryAsync("i1"));
    }

    [Fact]
    public async Task ActivityRequest_RoundTrip_DeliversResultToOrchestration()
    {
        var backend = await CreateBackendAsync();
        await backend.CreateInstanceAsync("i1", new ExecutionStarted("Orch", "e1", null), Now);
        var item = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        await backend.CompleteOrchestrationWorkItemAsync(item!, new OrchestrationCommit(
            [item!.NewMessages[0].Event, new TaskScheduled(0, "Act", "41")],
            [new ActivityRequest("i1", "e1", 0, "Act", "41")],
            [],
            item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = item.NewMessages.Select(m => m.MessageId).ToList(),
        });

        var activity = await backend.LockNextActivityWorkItemAsync(ShortLock);
        Assert.NotNull(activity);
        Assert.Equal("Act", activity.Request.Name);
        Assert.Equal("41", activity.Request.Input);
        Assert.Null(await backend.LockNextActivityWorkItemAsync(ShortLock));

        var renewed = await backend.RenewActivityWorkItemLockAsync(activity, ShortLock);
        Assert.True(renewed.LockedUntil >= activity.LockedUntil);
        await backend.CompleteActivityWorkItemAsync(renewed, new OrchestrationMessage("i1", "e1", new TaskCompleted(0, "42"), "r-0"));

        Assert.Null(await backend.LockNextActivityWorkItemAsync(ShortLock));
        var next = await backend.LockNextOrchestrationWorkItemAsync(ShortLock);
        var completed = Assert.IsType<TaskCompleted>(Assert.Single(next!.NewMessages).Event);
        Assert.Equal("42", completed.Result);
    }

    [Fact]
    public async Task TimerMessage_IsInvisibleUntilItsTime()
    {
        var backend = await CreateBackendAsync();
        var fireAt = DateTimeOffset.UtcNow.AddMilliseconds(700);
        await backend.SendMessagesAsync([new OrchestrationMessage("i1", "e1", new TimerFired(3, fireAt), "t-3") { VisibleAt = fireAt }]);

        Assert.Null(await backend.LockNextOrchestrationWorkItemAsync(ShortLock));
        var item = await TestSupport.Eventually.WaitForAsync(
            () => backend.LockNextOrchestrationWorkItemAsync(ShortLock), TimeSpan.FromSeconds(10), "the timer to become visible", TimeSpan.FromMilliseconds(50));
        Assert.True(DateTimeOffset.UtcNow >= fireAt.AddMilliseconds(-50), "timer delivered early");
        Assert.IsType<TimerFired>(Assert.Single(item.NewMessages).Event);
    }

    [Fact]
    public async Task Query_PagesByStatusAndPrefix_AndPurgeRemovesOnlyTerminalInstances()
    {
        var backend = await CreateBackendAsync();
        var t0 = DateTimeOffset.UtcNow;
        for (var i = 0; i < 7; i++)
        {
            await backend.CreateInstanceAsync($"q-{i}", new ExecutionStarted(i % 2 == 0 ? "EvenOrch" : "OddOrch", $"e{i}", null), t0.AddSeconds(i));
        }

        var all = new List<InstanceState>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await backend.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = "q-", PageSize = 3, ContinuationToken = token });
            all.AddRange(page.Instances);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"q-{i}"), all.Select(s => s.InstanceId));
        Assert.True(pages >= 3);

        var even = await backend.QueryInstancesAsync(new InstanceQuery { NamePrefix = "Even", Statuses = [OrchestrationRuntimeStatus.Pending] });
        Assert.Equal(4, even.Instances.Count);
        var window = await backend.QueryInstancesAsync(new InstanceQuery { CreatedFrom = t0.AddSeconds(2), CreatedTo = t0.AddSeconds(4) });
        Assert.Equal(["q-2", "q-3"], window.Instances.Select(s => s.InstanceId));
        var none = await backend.QueryInstancesAsync(new InstanceQuery { Statuses = [OrchestrationRuntimeStatus.Completed] });
        Assert.Empty(none.Instances);

        Assert.False(await backend.PurgeInstanceAsync("q-0"));
        Assert.NotNull(await backend.GetInstanceAsync("q-0"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("MTIz")]
    [InlineData("x:y")]
    public async Task Query_WithATokenTheBackendDidNotHandOut_ThrowsInvalidContinuationToken(string token)
    {
        var backend = await CreateBackendAsync();

        // The caller's mistake, typed so that the HTTP API can answer 400 rather than 500.
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => backend.QueryInstancesAsync(new InstanceQuery { ContinuationToken = token }));
    }
}
