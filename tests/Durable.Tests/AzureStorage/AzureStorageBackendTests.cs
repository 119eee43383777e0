using System.Text.Json;
using Recording.Durable.Backends;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.TestSupport;

namespace Recording.Durable.Tests.AzureStorage;

/// <summary>What only the Azure Storage backend has: blob offload, timer chains, ETag-fenced commits between workers, bounded out-of-order retries.</summary>
public sealed class AzureStorageBackendTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Lock = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LargePayloads_TravelThroughBlobs_AndComeBackIdentical()
    {
        var backend = await NewBackendAsync();
        var input = JsonSerializer.Serialize(string.Concat(Enumerable.Range(0, 60_000).Select(i => (char)('a' + (i % 26)))));
        await backend.CreateInstanceAsync("big", new ExecutionStarted("Orch", "e1", input), DateTimeOffset.UtcNow);

        // The queue message itself only references the blob.
        var queue = backend.Resources.ControlQueues[ControlQueuePartitioner.PartitionOf("big", backend.Options.PartitionCount)];
        var peeked = Assert.Single((await queue.PeekMessagesAsync(10)).Value);
        Assert.True(peeked.Body.ToArray().Length < 2_000, "the queue message should carry a blob reference, not the payload");

        var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        Assert.NotNull(item);
        Assert.Equal(input, Assert.IsType<ExecutionStarted>(Assert.Single(item.NewMessages).Event).Input);

        var activityInput = input.Replace('a', 'z');
        await backend.CompleteOrchestrationWorkItemAsync(item, new OrchestrationCommit(
            [item.NewMessages[0].Event, new TaskScheduled(0, "Act", activityInput)],
            [new ActivityRequest("big", "e1", 0, "Act", activityInput)],
            [],
            item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = [item.NewMessages[0].MessageId],
        });

        var activity = await backend.LockNextActivityWorkItemAsync(Lock);
        Assert.Equal(activityInput, activity!.Request.Input);
        var output = input.Replace('a', 'q');
        await backend.CompleteActivityWorkItemAsync(activity, new OrchestrationMessage("big", "e1", new TaskCompleted(0, output), "r0"));

        var next = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        Assert.Equal(output, Assert.IsType<TaskCompleted>(Assert.Single(next!.NewMessages).Event).Result);
        var history = await backend.GetHistoryAsync("big");
        Assert.Equal(input, Assert.IsType<ExecutionStarted>(history[0]).Input);
        Assert.Equal(activityInput, Assert.IsType<TaskScheduled>(history[1]).Input);
        Assert.Equal(input, (await backend.GetInstanceAsync("big"))!.Input);

        var blobs = new List<string>();
        await foreach (var blob in backend.Resources.Payloads.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions()))
        {
            blobs.Add(blob.Name);
        }

        Assert.True(blobs.Count >= 4, $"expected the start, the request, the result and the history rows in blobs, found {blobs.Count}");
        Assert.All(blobs, name => Assert.StartsWith("big/", name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TimerBeyondTheMaximumDelay_IsChained_AndFiresOnTime()
    {
        var backend = await NewBackendAsync(o => o.MaxTimerMessageDelay = TimeSpan.FromSeconds(1));
        var fireAt = DateTimeOffset.UtcNow.AddSeconds(3.2);
        await backend.SendMessagesAsync([new OrchestrationMessage("t", "e1", new TimerFired(1, fireAt), "timer-1") { VisibleAt = fireAt }]);

        var item = await Eventually.WaitForAsync(
            () => backend.LockNextOrchestrationWorkItemAsync(Lock), TimeSpan.FromSeconds(15), "the chained timer", TimeSpan.FromMilliseconds(100));

        Assert.True(DateTimeOffset.UtcNow >= fireAt, "the timer fired early");
        Assert.Equal(fireAt, Assert.IsType<TimerFired>(Assert.Single(item.NewMessages).Event).FireAt);
        // 3.2 s in links of at most 1 s: the first link and at least two more arrived early and were sent on.
        Assert.True(backend.TimerLinksForwarded >= 2, $"expected a chain of links, saw {backend.TimerLinksForwarded} forwarded");
    }

    [Fact]
    public async Task TwoWorkers_OnlyTheCurrentLockHolderCommits_AndTheLosersActivityResultIsDropped()
    {
        var options = azurite.NewOptions();
        // A is frozen (a long pause): it believes its lock still holds when B has taken it, so it sends before its commit fails.
        var workerA = new AzureStorageBackend(options, timeProvider: new StoppedClock(DateTimeOffset.UtcNow));
        var workerB = new AzureStorageBackend(options);
        await workerA.CreateIfNotExistsAsync();
        await workerA.CreateInstanceAsync("race", new ExecutionStarted("Orch", "e1", null), DateTimeOffset.UtcNow);

        // A's lock expires (a long GC pause, say); B takes the instance over.
        var stale = await workerA.LockNextOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(500));
        Assert.NotNull(stale);
        var fresh = await Eventually.WaitForAsync(
            () => workerB.LockNextOrchestrationWorkItemAsync(Lock), TimeSpan.FromSeconds(10), "B to take the expired lock", TimeSpan.FromMilliseconds(100));

        // Both commit at once; A's episode is long enough to need several table transactions.
        OrchestrationCommit Commit(OrchestrationWorkItem item, string activity, int filler) => new(
            [item.NewMessages[0].Event, new TaskScheduled(0, activity, null), .. Enumerable.Range(0, filler).Select(i => new EventRaised("filler", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            [new ActivityRequest("race", "e1", 0, activity, null)],
            [],
            item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = [item.NewMessages[0].MessageId],
        };
        var outcomes = await Task.WhenAll(
            Outcome(workerA.CompleteOrchestrationWorkItemAsync(stale, Commit(stale, "FromA", 150))),
            Outcome(workerB.CompleteOrchestrationWorkItemAsync(fresh, Commit(fresh, "FromB", 120))));

        Assert.IsType<WorkItemLockLostException>(outcomes[0]);
        Assert.Null(outcomes[1]);
        var history = await workerA.GetHistoryAsync("race");
        Assert.Equal(122, history.Count);
        Assert.Equal("FromB", Assert.IsType<TaskScheduled>(history[1]).Name);

        // A's request went out before its commit failed (send comes first); both activities run, only B's answer is delivered.
        for (var i = 0; i < 2; i++)
        {
            var activity = await Eventually.WaitForAsync(() => workerB.LockNextActivityWorkItemAsync(Lock), TimeSpan.FromSeconds(10), "the activity requests");
            await workerB.CompleteActivityWorkItemAsync(activity, new OrchestrationMessage("race", "e1", new TaskCompleted(0, JsonSerializer.Serialize(activity.Request.Name)), $"result-{activity.Request.Name}"));
        }

        var next = await Eventually.WaitForAsync(() => workerB.LockNextOrchestrationWorkItemAsync(Lock), TimeSpan.FromSeconds(10), "the activity result");
        var result = Assert.IsType<TaskCompleted>(Assert.Single(next.NewMessages).Event);
        Assert.Equal("\"FromB\"", result.Result);
    }

    [Fact]
    public async Task MessageForAnInstanceThatNeverExists_IsRetriedABoundedNumberOfTimes_ThenDropped()
    {
        var backend = await NewBackendAsync(o => o.MaxOutOfOrderDeliveries = 2);
        await backend.SendMessagesAsync([new OrchestrationMessage("ghost", null, new EventRaised("go", null), "ev-1")]);

        for (var delivery = 1; delivery <= 2; delivery++)
        {
            var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);
            Assert.NotNull(item);
            Assert.Null(item.State);
            await backend.AbandonOrchestrationWorkItemAsync(item);
        }

        Assert.Null(await backend.LockNextOrchestrationWorkItemAsync(Lock));
        Assert.Null(await backend.GetInstanceAsync("ghost"));
        var queue = backend.Resources.ControlQueues[ControlQueuePartitioner.PartitionOf("ghost", backend.Options.PartitionCount)];
        Assert.Empty((await queue.PeekMessagesAsync(10)).Value);
    }

    [Fact]
    public async Task EventThatOvertakesItsStart_IsDeliveredOnceTheInstanceExists()
    {
        var backend = await NewBackendAsync();
        await backend.SendMessagesAsync([new OrchestrationMessage("late", null, new EventRaised("early", "1"), "ev-early")]);
        var orphan = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        Assert.Null(orphan!.State);
        await backend.AbandonOrchestrationWorkItemAsync(orphan, TimeSpan.FromSeconds(1));

        await backend.CreateInstanceAsync("late", new ExecutionStarted("Orch", "e1", null), DateTimeOffset.UtcNow);
        var messages = new List<OrchestrationMessage>();
        await Eventually.UntilAsync(
            async () =>
            {
                var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);
                if (item is null)
                {
                    return false;
                }

                Assert.NotNull(item.State);
                messages.AddRange(item.NewMessages);
                await backend.AbandonOrchestrationWorkItemAsync(item, TimeSpan.FromSeconds(5));
                return messages.Any(m => m.Event is EventRaised) && messages.Any(m => m.Event is ExecutionStarted);
            },
            TimeSpan.FromSeconds(15),
            "the start and the early event");
    }

    [Fact]
    public async Task ContinueAsNew_ReplacesTheHistory_AndDropsTheOldExecutionsRows()
    {
        var backend = await NewBackendAsync();
        await backend.CreateInstanceAsync("can", new ExecutionStarted("Orch", "e1", "1"), DateTimeOffset.UtcNow);
        var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        await backend.CompleteOrchestrationWorkItemAsync(item!, new OrchestrationCommit(
            [item!.NewMessages[0].Event, new OrchestratorStarted(), new TimerCreated(0, DateTimeOffset.UnixEpoch)], [], [], item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = [item.NewMessages[0].MessageId],
        });
        await backend.SendMessagesAsync([new OrchestrationMessage("can", null, new EventRaised("next", null), "ev-next")]);
        var second = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        Assert.Equal(3, second!.History.Count);
        await backend.CompleteOrchestrationWorkItemAsync(second, new OrchestrationCommit(
            [new ExecutionStarted("Orch", "e2", "2")], [], [], second.State! with { ExecutionId = "e2", Input = "2" })
        {
            ReplacesHistory = true,
            ConsumedMessageIds = [second.NewMessages[0].MessageId],
        });

        var history = await backend.GetHistoryAsync("can");
        Assert.Equal("e2", Assert.IsType<ExecutionStarted>(Assert.Single(history)).ExecutionId);
        var rows = new List<string>();
        await foreach (var row in backend.Resources.History.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "can"))
        {
            rows.Add(row.RowKey);
        }

        Assert.Equal(["e2|00000000", TableKeys.InstanceRowKey], rows);
    }

    [Fact]
    public async Task AStopRequestedOnceTheHistoryIsWritten_StillFinishesTheCommit_SoNoConsumedMessageComesBack()
    {
        using var stopping = new CancellationTokenSource();
        var backend = new AzureStorageBackend(azurite.NewOptions(), new OnStep(CommitStep.HistoryWritten, () => stopping.CancelAsync()));
        await backend.CreateIfNotExistsAsync();
        await backend.CreateInstanceAsync("stopping", new ExecutionStarted("Orch", "e1", "1"), DateTimeOffset.UtcNow);
        var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);

        await backend.CompleteOrchestrationWorkItemAsync(item!, new OrchestrationCommit(
            [item!.NewMessages[0].Event, new OrchestratorStarted()], [], [], item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = [item.NewMessages[0].MessageId],
        }, stopping.Token);

        Assert.True(stopping.IsCancellationRequested);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await backend.GetInstanceAsync("stopping"))!.RuntimeStatus);
        // Counted whether visible or not: the start message was deleted, not left to come back when its invisibility ends.
        var queue = backend.Resources.ControlQueues[ControlQueuePartitioner.PartitionOf("stopping", backend.Options.PartitionCount)];
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ContinueAsNew_TidiesOnlyTheExecutionItEnded_NotTheOneAnotherWorkerCommittedMeanwhile()
    {
        var options = azurite.NewOptions();
        var other = new AzureStorageBackend(options);
        var armed = false;
        var backend = new AzureStorageBackend(options, new OnStep(CommitStep.MessagesDeleted, async () =>
        {
            if (!armed)
            {
                return;
            }

            // The lock is released once the history is written: before this worker tidies up, another one runs the new
            // execution's next episode and continues it as new once more.
            armed = false;
            await other.SendMessagesAsync([new OrchestrationMessage("race", null, new EventRaised("next", null), "ev-e2")]);
            var third = await other.LockNextOrchestrationWorkItemAsync(Lock);
            await other.CompleteOrchestrationWorkItemAsync(third!, new OrchestrationCommit(
                [new ExecutionStarted("Orch", "e3", "3"), new OrchestratorStarted(), new TimerCreated(0, DateTimeOffset.UnixEpoch)], [], [], third!.State! with { ExecutionId = "e3", Input = "3" })
            {
                ReplacesHistory = true,
                ConsumedMessageIds = [third.NewMessages[0].MessageId],
            });
        }));
        await backend.CreateIfNotExistsAsync();
        await backend.CreateInstanceAsync("race", new ExecutionStarted("Orch", "e1", "1"), DateTimeOffset.UtcNow);
        var first = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        await backend.CompleteOrchestrationWorkItemAsync(first!, new OrchestrationCommit(
            [first!.NewMessages[0].Event, new OrchestratorStarted()], [], [], first.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = [first.NewMessages[0].MessageId],
        });
        await backend.SendMessagesAsync([new OrchestrationMessage("race", null, new EventRaised("next", null), "ev-e1")]);
        var second = await backend.LockNextOrchestrationWorkItemAsync(Lock);

        armed = true;
        await backend.CompleteOrchestrationWorkItemAsync(second!, new OrchestrationCommit(
            [new ExecutionStarted("Orch", "e2", "2")], [], [], second!.State! with { ExecutionId = "e2", Input = "2" })
        {
            ReplacesHistory = true,
            ConsumedMessageIds = [second.NewMessages[0].MessageId],
        });

        Assert.False(armed, "the other worker's episode did not run");
        var history = await backend.GetHistoryAsync("race");
        Assert.Equal(3, history.Count);
        Assert.Equal("e3", Assert.IsType<ExecutionStarted>(history[0]).ExecutionId);
    }

    [Fact]
    public async Task AMessageThatIsNoEnvelope_IsSetAsideInThePoisonQueue_AndStopsNoOtherMessage()
    {
        var backend = await NewBackendAsync();
        var queue = backend.Resources.ControlQueues[ControlQueuePartitioner.PartitionOf("victim", backend.Options.PartitionCount)];
        // Another program's message and an empty object, before a real start in the same partition.
        await queue.SendMessageAsync("not json at all");
        await queue.SendMessageAsync("{}");
        await backend.CreateInstanceAsync("victim", new ExecutionStarted("Orch", "e1", "1"), DateTimeOffset.UtcNow);

        var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);

        Assert.Equal("victim", item!.InstanceId);
        Assert.IsType<ExecutionStarted>(Assert.Single(item.NewMessages).Event);
        var poisoned = (await backend.Resources.PoisonQueue.PeekMessagesAsync(10)).Value.Select(m => m.Body.ToString()).Order().ToList();
        Assert.Equal(["not json at all", "{}"], poisoned);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AnEnvelopeWhoseBodyCannotBeRead_IsSetAside_AndItsInstanceStillStarts()
    {
        var backend = await NewBackendAsync();
        var queue = backend.Resources.ControlQueues[ControlQueuePartitioner.PartitionOf("reader", backend.Options.PartitionCount)];
        // Envelopes for the instance itself whose bodies are no orchestration message (a bug of another version, a hand edit).
        await queue.SendMessageAsync("""{"i":"reader","b":"not json","s":"2026-12-01T00:00:00+00:00","o":0}""");
        await queue.SendMessageAsync("""{"i":"reader","b":"{\"unrelated\":1}","s":"2026-12-01T00:00:00+00:00","o":1}""");
        await backend.CreateInstanceAsync("reader", new ExecutionStarted("Orch", "e1", "1"), DateTimeOffset.UtcNow);

        var item = await Eventually.WaitForAsync(() => backend.LockNextOrchestrationWorkItemAsync(Lock), TimeSpan.FromSeconds(15), "the start");

        Assert.Equal("reader", item.InstanceId);
        Assert.IsType<ExecutionStarted>(Assert.Single(item.NewMessages).Event);
        var poisoned = (await backend.Resources.PoisonQueue.PeekMessagesAsync(10)).Value.Select(m => m.Body.ToString()).ToList();
        Assert.Equal(2, poisoned.Count);
        Assert.All(poisoned, body => Assert.Contains("\"i\":\"reader\"", body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnActivityEnvelopeWhoseBodyCannotBeRead_IsSetAside_AndTheNextRequestIsServed()
    {
        var backend = await NewBackendAsync();
        await backend.Resources.WorkItemQueue.SendMessageAsync("""{"i":"worker","b":"[1,2,3]","s":"2026-12-01T00:00:00+00:00","o":0}""");
        await backend.CreateInstanceAsync("worker", new ExecutionStarted("Orch", "e1", null), DateTimeOffset.UtcNow);
        var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        await backend.CompleteOrchestrationWorkItemAsync(item!, new OrchestrationCommit(
            [item!.NewMessages[0].Event, new TaskScheduled(0, "Act", null)],
            [new ActivityRequest("worker", "e1", 0, "Act", null)],
            [],
            item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = [item.NewMessages[0].MessageId],
        });

        var activity = await Eventually.WaitForAsync(() => backend.LockNextActivityWorkItemAsync(Lock), TimeSpan.FromSeconds(15), "the real request");

        Assert.Equal("Act", activity.Request.Name);
        Assert.Contains("[1,2,3]", Assert.Single((await backend.Resources.PoisonQueue.PeekMessagesAsync(10)).Value).Body.ToString(), StringComparison.Ordinal);
    }

    private async Task<AzureStorageBackend> NewBackendAsync(Action<AzureStorageBackendOptions>? configure = null)
    {
        var backend = new AzureStorageBackend(azurite.NewOptions(configure));
        await backend.CreateIfNotExistsAsync();
        return backend;
    }

    /// <summary>Runs an action after one commit step, as a worker's stop or another worker's episode would happen there.</summary>
    private sealed class OnStep(CommitStep step, Func<Task> action) : ICommitStepListener
    {
        public async ValueTask OnCommitStepAsync(CommitStep done, string instanceId, CancellationToken cancellationToken = default)
        {
            if (done == step)
            {
                await action();
            }
        }
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
