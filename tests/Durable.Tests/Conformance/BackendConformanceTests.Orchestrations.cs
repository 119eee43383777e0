using System.Collections.Concurrent;
using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Orchestrations;
using Recording.Durable.Registry;
using Recording.TestSupport;

namespace Recording.Durable.Tests.Conformance;

/// <summary>Orchestration-level conformance: the engine's features, run by a real worker on the backend under test.</summary>
public abstract partial class BackendConformanceTests
{
    protected async Task<EngineHost> HostAsync(DurableTaskRegistry registry, bool start = true) =>
        await EngineHost.StartAsync(await CreateBackendAsync(), registry, start: start);

    private static DurableTaskRegistry Greeter() => new DurableTaskRegistry()
        .AddActivityFunc<string, string>("Hello", (_, name) => Task.FromResult($"hello {name}"));

    [Fact]
    public async Task Sequence_OfThreeActivities_ReturnsTheirResultsInOrder()
    {
        var registry = Greeter().AddOrchestratorFunc<string[], string>("Sequence", async (context, names) =>
        {
            var parts = new List<string>();
            foreach (var name in names)
            {
                parts.Add(await context.CallActivityAsync<string>("Hello", name));
            }

            return string.Join(", ", parts);
        });
        await using var host = await HostAsync(registry);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sequence", new[] { "a", "b", "c" });
        var done = await host.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("hello a, hello b, hello c", done.ReadOutputAs<string>());
        var history = await host.Backend.GetHistoryAsync(id);
        Assert.Equal(["Hello", "Hello", "Hello"], history.OfType<TaskScheduled>().Select(t => t.Name));
        Assert.Equal([0, 1, 2], history.OfType<TaskCompleted>().Select(t => t.TaskScheduledId));
    }

    [Fact]
    public async Task FanOutFanIn_OfOneHundredActivities_SumsEveryResult()
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Square", (_, n) => Task.FromResult(n * n))
            .AddOrchestratorFunc<int, long>("FanOut", async (context, count) =>
            {
                var tasks = Enumerable.Range(1, count).Select(n => context.CallActivityAsync<int>("Square", n)).ToList();
                var results = await Task.WhenAll(tasks);
                return results.Sum(r => (long)r);
            });
        await using var host = await HostAsync(registry);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 100);
        var done = await host.WaitAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(1, 100).Sum(n => (long)n * n), done.ReadOutputAs<long>());
        Assert.Equal(100, (await host.Backend.GetHistoryAsync(id)).OfType<TaskCompleted>().Count());
    }

    [Fact]
    public async Task Retry_WithBackoff_RetriesUntilTheActivitySucceeds()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string, string>("Flaky", (context, key) =>
            {
                var attempt = attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
                return attempt < 3 ? throw new IOException($"transient failure {attempt}") : Task.FromResult($"ok after {attempt}");
            })
            .AddOrchestratorFunc<string, string>("Retrying", (context, key) =>
                context.CallActivityAsync<string>("Flaky", key, new TaskOptions(new RetryPolicy(5, TimeSpan.FromMilliseconds(50), backoffCoefficient: 2))));
        await using var host = await HostAsync(registry);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retrying", "k1");
        var done = await host.WaitAsync(id);

        Assert.Equal("ok after 3", done.ReadOutputAs<string>());
        Assert.Equal(3, attempts["k1"]);
        var timers = (await host.Backend.GetHistoryAsync(id)).OfType<TimerCreated>().ToList();
        Assert.Equal(2, timers.Count);
        Assert.True(timers[1].FireAt - timers[1].Timestamp >= TimeSpan.FromMilliseconds(99), "the second retry should wait twice the first interval");
    }

    [Fact]
    public async Task Retry_WithPredicateRefusingTheFailure_DoesNotRetry()
    {
        var attempts = 0;
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string, string>("BadInput", (_, _) =>
            {
                Interlocked.Increment(ref attempts);
                throw new ArgumentException("the URL is not allowed");
            })
            .AddOrchestratorFunc<string, string>("Picky", (context, input) =>
                context.CallActivityAsync<string>("BadInput", input, new TaskOptions(new RetryPolicy(5, TimeSpan.FromMilliseconds(20))
                {
                    HandleFailure = failure => !failure.IsCausedBy<ArgumentException>(),
                })));
        await using var host = await HostAsync(registry);

        var done = await host.WaitAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Picky", "x"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ActivityFailure_PropagatesWithDetails_ToTheInstanceAndToACatchingOrchestrator()
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string, string>("Boom", (_, message) => throw new InvalidOperationException(message))
            .AddOrchestratorFunc<string, string>("Uncaught", (context, message) => context.CallActivityAsync<string>("Boom", message))
            .AddOrchestratorFunc<string, string>("Caught", async (context, message) =>
            {
                try
                {
                    return await context.CallActivityAsync<string>("Boom", message);
                }
                catch (TaskFailedException failed)
                {
                    return $"{failed.TaskName}: {failed.FailureDetails.ErrorType}: {failed.FailureDetails.ErrorMessage}";
                }
            });
        await using var host = await HostAsync(registry);

        var uncaught = await host.WaitAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Uncaught", "disk full"));
        var caught = await host.WaitAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Caught", "disk full"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, uncaught.RuntimeStatus);
        Assert.Equal(typeof(TaskFailedException).FullName, uncaught.FailureDetails!.ErrorType);
        Assert.Equal("System.InvalidOperationException", uncaught.FailureDetails.InnerFailure!.ErrorType);
        Assert.Equal("disk full", uncaught.FailureDetails.InnerFailure.ErrorMessage);
        Assert.Contains("Boom", uncaught.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("Boom: System.InvalidOperationException: disk full", caught.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Timer_DelaysTheOrchestrationByItsDuration()
    {
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<int, DateTime>("Sleeper", async (context, ms) =>
        {
            var fireAt = context.CurrentUtcDateTime.AddMilliseconds(ms);
            await context.CreateTimer(fireAt, CancellationToken.None);
            return context.CurrentUtcDateTime;
        });
        await using var host = await HostAsync(registry);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper", 300);
        var done = await host.WaitAsync(id);

        var history = await host.Backend.GetHistoryAsync(id);
        var created = Assert.Single(history.OfType<TimerCreated>());
        Assert.Single(history.OfType<TimerFired>());
        Assert.True(done.CompletedAt >= created.FireAt, "completed before the timer's time");
        Assert.True(done.ReadOutputAs<DateTime>() >= created.FireAt.UtcDateTime, "CurrentUtcDateTime after the timer is before its fire time");
    }

    [Fact]
    public async Task ExternalEvents_RaisedBeforeAndAfterTheWait_AreBothDelivered()
    {
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<string?, string>("Listener", async (context, _) =>
        {
            context.SetCustomStatus("waiting for B");
            var b = await context.WaitForExternalEvent<string>("B");
            var a = await context.WaitForExternalEvent<string>("A"); // raised before this wait: buffered
            return $"{b}{a}";
        });
        await using var host = await HostAsync(registry);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Listener");
        await Eventually.UntilAsync(async () => (await host.Client.GetInstanceAsync(id))?.ReadCustomStatusAs<string>() == "waiting for B", TimeSpan.FromSeconds(10), "the orchestrator to wait for B", TimeSpan.FromMilliseconds(10));

        await host.Client.RaiseEventAsync(id, "A", "early-");
        await Eventually.UntilAsync(async () => (await host.Backend.GetHistoryAsync(id)).OfType<EventRaised>().Any(), TimeSpan.FromSeconds(10), "event A to be recorded", TimeSpan.FromMilliseconds(10));
        await host.Client.RaiseEventAsync(id, "B", "late-");
        var done = await host.WaitAsync(id);

        Assert.Equal("late-early-", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEvent_WithTimeout_ThrowsTimeoutWhenNothingArrives()
    {
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<string?, string>("Impatient", async (context, _) =>
        {
            try
            {
                return await context.WaitForExternalEvent<string>("never", TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
                return "timed out";
            }
        });
        await using var host = await HostAsync(registry);

        var done = await host.WaitAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("Impatient"));

        Assert.Equal("timed out", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WhenAny_OfEventAndTimer_TakesWhicheverComesFirst()
    {
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<int, string>("Race", async (context, timerMs) =>
        {
            using var cancelTimer = new CancellationTokenSource();
            context.SetCustomStatus("racing");
            var approval = context.WaitForExternalEvent<string>("approve");
            var timeout = context.CreateTimer(TimeSpan.FromMilliseconds(timerMs), cancelTimer.Token);
            var winner = await Task.WhenAny(approval, timeout);
            if (winner == approval)
            {
                // Cancel, not CancelAsync: orchestrator code must stay on the orchestrator's thread.
#pragma warning disable CA1849
                cancelTimer.Cancel();
#pragma warning restore CA1849
                return "event " + await approval;
            }

            return "timer";
        });
        await using var host = await HostAsync(registry);

        var withEvent = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race", 60_000);
        var withoutEvent = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race", 200);
        await Eventually.UntilAsync(async () => (await host.Client.GetInstanceAsync(withEvent))?.SerializedCustomStatus is not null, TimeSpan.FromSeconds(10), "the race to start", TimeSpan.FromMilliseconds(10));
        await host.Client.RaiseEventAsync(withEvent, "approve", "yes");

        Assert.Equal("event yes", (await host.WaitAsync(withEvent)).ReadOutputAs<string>());
        Assert.Equal("timer", (await host.WaitAsync(withoutEvent)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task SubOrchestration_WithChosenInstanceId_ReturnsItsOutputAndRecordsItsParent()
    {
        var registry = Greeter()
            .AddOrchestratorFunc<string, string>("Child", (context, name) => context.CallActivityAsync<string>("Hello", name))
            .AddOrchestratorFunc<string, string>("Parent", async (context, name) =>
                await context.CallSubOrchestratorAsync<string>("Child", name, new SubOrchestrationOptions(InstanceId: context.InstanceId + "-child")) + "!");
        await using var host = await HostAsync(registry);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent", "kid", new StartOrchestrationOptions("family-1"));
        var done = await host.WaitAsync(id);

        Assert.Equal("hello kid!", done.ReadOutputAs<string>());
        var child = await host.Client.GetInstanceAsync("family-1-child");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.Equal("family-1", child.State.Parent!.InstanceId);
    }

    [Fact]
    public async Task ContinueAsNew_CarriesUnprocessedEventsIntoTheNextExecution()
    {
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<int, int>("Counter", async (context, count) =>
        {
            await context.WaitForExternalEvent<int>("inc");
            if (count + 1 < 3)
            {
                context.ContinueAsNew(count + 1);
            }

            return count + 1;
        });

        // The worker starts only after all three events are stored, so that the first execution receives them in one
        // batch: it consumes one and must carry the other two over.
        await using var host = await HostAsync(registry, start: false);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        for (var i = 0; i < 3; i++)
        {
            await host.Client.RaiseEventAsync(id, "inc", i);
        }

        await host.Worker.StartAsync();
        var done = await host.WaitAsync(id);

        Assert.Equal(3, done.ReadOutputAs<int>());
        Assert.Equal("2", done.SerializedInput);
    }

    [Fact]
    public async Task Terminate_EndsTheInstanceWithItsReason_AndTerminatesItsSubOrchestrations()
    {
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<string?, string>("Waiter", (context, _) => context.WaitForExternalEvent<string>("never"))
            .AddOrchestratorFunc<string?, string>("Boss", (context, _) =>
                context.CallSubOrchestratorAsync<string>("Waiter", null, new SubOrchestrationOptions(context.InstanceId + "-worker")));
        await using var host = await HostAsync(registry);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Boss", null, new StartOrchestrationOptions("boss-1"));
        await Eventually.UntilAsync(async () => (await host.Client.GetInstanceAsync("boss-1-worker"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, TimeSpan.FromSeconds(10), "the child to run", TimeSpan.FromMilliseconds(10));

        await host.Client.TerminateInstanceAsync(id, "operator stop");
        var done = await host.WaitAsync(id);
        var child = await host.WaitAsync("boss-1-worker");

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("operator stop", done.ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, child.RuntimeStatus);
    }

    [Fact]
    public async Task SuspendAndResume_HoldsEventsWhileSuspended_AndDeliversThemAfter()
    {
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<string?, string>("Pausable", async (context, _) =>
        {
            context.SetCustomStatus("ready");
            return await context.WaitForExternalEvent<string>("go");
        });
        await using var host = await HostAsync(registry);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Pausable");
        await Eventually.UntilAsync(async () => (await host.Client.GetInstanceAsync(id))?.SerializedCustomStatus is not null, TimeSpan.FromSeconds(10), "the orchestrator to start", TimeSpan.FromMilliseconds(10));

        await host.Client.SuspendInstanceAsync(id, "maintenance");
        await Eventually.UntilAsync(async () => (await host.Client.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Suspended, TimeSpan.FromSeconds(10), "the instance to be suspended", TimeSpan.FromMilliseconds(10));
        await host.Client.RaiseEventAsync(id, "go", "went");
        await Eventually.UntilAsync(async () => (await host.Backend.GetHistoryAsync(id)).OfType<EventRaised>().Any(), TimeSpan.FromSeconds(10), "the event to be received", TimeSpan.FromMilliseconds(10));
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await host.Client.ResumeInstanceAsync(id);
        var done = await host.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("went", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task CustomStatus_IsVisibleWhileRunning_AndKeptAfterCompletion()
    {
        var registry = Greeter().AddOrchestratorFunc<string?, string>("Phases", async (context, _) =>
        {
            context.SetCustomStatus(new { phase = "capturing", segments = 2 });
            await context.WaitForExternalEvent<string>("stop");
            context.SetCustomStatus(new { phase = "done", segments = 3 });
            return "ok";
        });
        await using var host = await HostAsync(registry);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Phases");

        var running = await Eventually.WaitForAsync(async () => await host.Client.GetInstanceAsync(id) is { SerializedCustomStatus: not null } m ? m : null, TimeSpan.FromSeconds(10), "custom status", TimeSpan.FromMilliseconds(10));
        Assert.Equal(OrchestrationRuntimeStatus.Running, running.RuntimeStatus);
        Assert.Equal("{\"phase\":\"capturing\",\"segments\":2}", running.SerializedCustomStatus);

        await host.Client.RaiseEventAsync(id, "stop");
        var done = await host.WaitAsync(id);
        Assert.Equal("{\"phase\":\"done\",\"segments\":3}", done.SerializedCustomStatus);
    }

    [Fact]
    public async Task QueryAndPurge_FindInstancesByStatusNameAndPage_AndPurgeDeletesEndedOnes()
    {
        var registry = Greeter()
            .AddOrchestratorFunc<string, string>("ReportA", (context, name) => context.CallActivityAsync<string>("Hello", name))
            .AddOrchestratorFunc<string?, string>("Forever", (context, _) => context.WaitForExternalEvent<string>("never"));
        await using var host = await HostAsync(registry);
        var finished = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            finished.Add(await host.Client.ScheduleNewOrchestrationInstanceAsync("ReportA", $"n{i}", new StartOrchestrationOptions($"report-{i}")));
        }

        var running = await host.Client.ScheduleNewOrchestrationInstanceAsync("Forever", null, new StartOrchestrationOptions("forever-1"));
        foreach (var id in finished)
        {
            await host.WaitAsync(id);
        }

        var found = new List<string>();
        await foreach (var instance in host.Client.GetAllInstancesAsync(new InstanceQuery { Statuses = [OrchestrationRuntimeStatus.Completed], NamePrefix = "Report", PageSize = 2 }))
        {
            found.Add(instance.InstanceId);
        }

        var firstPage = await host.Client.QueryInstancesAsync(new InstanceQuery { NamePrefix = "Report", PageSize = 2 });
        Assert.Equal(2, firstPage.Instances.Count);
        Assert.NotNull(firstPage.ContinuationToken);
        Assert.Equal(finished.Order(), found.Order());
        var notYet = await host.Client.QueryInstancesAsync(new InstanceQuery { CreatedFrom = DateTimeOffset.UtcNow.AddMinutes(1) });
        Assert.Empty(notYet.Instances);

        Assert.True(await host.Client.PurgeInstanceAsync("report-0"));
        Assert.Null(await host.Client.GetInstanceAsync("report-0"));
        Assert.Empty(await host.Backend.GetHistoryAsync("report-0"));
        Assert.False(await host.Client.PurgeInstanceAsync(running));
        Assert.NotNull(await host.Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task Schedule_WithTheIdOfARunningInstance_ReturnsItWithoutStartingAnother_AndRestartsAnEndedOne()
    {
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<string, string>("Recorder", async (context, input) =>
        {
            var stop = await context.WaitForExternalEvent<string>("stop");
            return input + stop;
        });
        await using var host = await HostAsync(registry);

        var first = await host.Client.ScheduleNewOrchestrationInstanceAsync("Recorder", "one", new StartOrchestrationOptions("rec-1"));
        var second = await host.Client.ScheduleNewOrchestrationInstanceAsync("Recorder", "two", new StartOrchestrationOptions("rec-1"));
        Assert.Equal(first, second);
        await host.Client.RaiseEventAsync("rec-1", "stop", "!");
        var done = await host.WaitAsync("rec-1");
        Assert.Equal("one!", done.ReadOutputAs<string>());
        Assert.Single((await host.Backend.GetHistoryAsync("rec-1")).OfType<ExecutionStarted>());

        await host.Client.ScheduleNewOrchestrationInstanceAsync("Recorder", "again", new StartOrchestrationOptions("rec-1"));
        await Eventually.UntilAsync(async () => (await host.Client.GetInstanceAsync("rec-1"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, TimeSpan.FromSeconds(10), "the restart", TimeSpan.FromMilliseconds(10));
        await host.Client.RaiseEventAsync("rec-1", "stop", "?");
        Assert.Equal("again?", (await host.WaitAsync("rec-1")).ReadOutputAs<string>());
    }

    [Fact]
    public async Task ChangedOrchestratorCode_BetweenEpisodes_FailsTheInstanceNamingBothCalls()
    {
        var before = new DurableTaskRegistry()
            .AddActivityFunc<string?, string>("ReserveStorage", (_, _) => Task.FromResult("reserved"))
            .AddOrchestratorFunc<string?, string>("Evolving", async (context, _) =>
            {
                await context.CallActivityAsync<string>("ReserveStorage");
                return await context.WaitForExternalEvent<string>("continue");
            });
        var after = new DurableTaskRegistry()
            .AddActivityFunc<string?, string>("StartCapture", (_, _) => Task.FromResult("started"))
            .AddOrchestratorFunc<string?, string>("Evolving", async (context, _) =>
            {
                await context.CallActivityAsync<string>("StartCapture");
                return await context.WaitForExternalEvent<string>("continue");
            });
        var backend = await CreateBackendAsync();
        string id;
        await using (var oldHost = await EngineHost.StartAsync(backend, before))
        {
            id = await oldHost.Client.ScheduleNewOrchestrationInstanceAsync("Evolving");
            await Eventually.UntilAsync(async () => (await backend.GetHistoryAsync(id)).OfType<TaskCompleted>().Any(), TimeSpan.FromSeconds(10), "the first activity to complete", TimeSpan.FromMilliseconds(10));
        }

        await using var newHost = await EngineHost.StartAsync(backend, after);
        await newHost.Client.RaiseEventAsync(id, "continue", "x");
        var done = await newHost.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("CallActivityAsync(\"ReserveStorage\")", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("CallActivityAsync(\"StartCapture\")", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }
}
