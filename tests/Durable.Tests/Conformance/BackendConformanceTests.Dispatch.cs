using Recording.Durable.Backends;
using Recording.Durable.Dispatch;
using Recording.Durable.Instances;
using Recording.Durable.Registry;
using Recording.Durable.Tests.Faults;
using Recording.TestSupport;

namespace Recording.Durable.Tests.Conformance;

/// <summary>Dispatch conformance: push mode, activity leases renewed while running, a crashed worker's activity running again.</summary>
public abstract partial class BackendConformanceTests
{
    /// <summary>The activity lease used by the lease tests; a backend with coarse visibility timeouts may lengthen it.</summary>
    protected virtual TimeSpan LeaseForTests => TimeSpan.FromMilliseconds(400);

    /// <summary>The lease of the renewal test: long enough that only a lost renewal, not a slow machine, loses it.</summary>
    private static readonly TimeSpan RenewedLease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task PushMode_ProcessesOneDeliveredMessageAtATime()
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Double", (_, n) => Task.FromResult(n * 2))
            .AddOrchestratorFunc<int, int>("Pushed", (context, n) => context.CallActivityAsync<int>("Double", n));
        await using var host = await HostAsync(registry, start: false);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Pushed", 21);

        Assert.False(await host.Worker.ProcessDeliveredAsync(new WorkNotification(WorkItemKind.Activity)));
        Assert.True(await host.Worker.ProcessDeliveredAsync(new WorkNotification(WorkItemKind.Orchestration, id)));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.True(await host.Worker.ProcessDeliveredAsync(new WorkNotification(WorkItemKind.Activity, id)));
        Assert.True(await host.Worker.ProcessDeliveredAsync(new WorkNotification(WorkItemKind.Orchestration, id)));
        Assert.False(await host.Worker.ProcessDeliveredAsync(new WorkNotification(WorkItemKind.Orchestration)));

        var done = await host.Client.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done!.RuntimeStatus);
        Assert.Equal(42, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task RunningActivity_RenewsItsLease_SoACompetingWorkerNeverRunsItTwice()
    {
        var runs = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string?, string>("Slow", async (context, _) =>
            {
                Interlocked.Increment(ref runs);
                await gate.Task.WaitAsync(context.CancellationToken);
                return "done";
            })
            .AddOrchestratorFunc<string?, string>("Patient", (context, _) => context.CallActivityAsync<string>("Slow"));
        var counting = await FaultInjectingBackend.CreateAsync(listener => CreateBackendAsync(listener), FaultInjectingBackend.Never);
        var options = EngineHost.FastOptions();
        // Renewed four times a lease, so that a stall of three quarters of a lease (a GC, an fsync, a loaded CI machine)
        // still renews in time. With 400 ms leases a 2-core CI run once stopped renewing (most likely a stall past the
        // 300 ms of slack), and the test waited in vain for its renewals.
        options.ActivityLockDuration = RenewedLease;
        options.ActivityLockRenewInterval = RenewedLease / 4;
        await using var host = await EngineHost.StartAsync(counting, registry, options);
        await using var competitor = new DurableWorker(counting.Inner, registry, EngineHost.FastOptions());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Patient");
        await Eventually.UntilAsync(() => Volatile.Read(ref runs) == 1, TimeSpan.FromSeconds(10), "the activity to start", TimeSpan.FromMilliseconds(10));

        // The competitor starts once the short-leased worker holds the activity, so that only renewals keep it from running it again.
        await competitor.StartAsync();
        await Eventually.UntilAsync(() => counting.Renewals >= 8, TimeSpan.FromSeconds(30), "the lease to be renewed for twice its length", TimeSpan.FromMilliseconds(20));
        gate.SetResult();
        var done = await host.WaitAsync(id);

        Assert.Equal("done", done.ReadOutputAs<string>());
        Assert.Equal(1, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task ActivityOfACrashedWorker_ReappearsAfterItsLease_AndRunsAgain()
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string?, int>("CountDeliveries", (context, _) => Task.FromResult(context.DequeueCount))
            .AddOrchestratorFunc<string?, int>("Survivor", (context, _) => context.CallActivityAsync<int>("CountDeliveries"));
        await using var host = await HostAsync(registry, start: false);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Survivor");
        Assert.True(await host.Worker.ProcessNextOrchestrationAsync());

        // A worker takes the activity and dies without completing or abandoning it.
        var taken = await host.Backend.LockNextActivityWorkItemAsync(LeaseForTests);
        Assert.NotNull(taken);
        Assert.Null(await host.Backend.LockNextActivityWorkItemAsync(LeaseForTests));

        await host.Worker.StartAsync();
        var done = await host.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(2, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task ActivityStoppedByItsWorkersShutdown_ThatThenFailsItsOwnWay_IsNotAFailure_AndRunsAgain()
    {
        // An activity whose tool turns the stop into an error of its own (ffmpeg asked to quit leaves an output that does not
        // verify): what the worker's shutdown caused must not count as the activity's failure.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string?, string>("Encode", async (context, _) =>
            {
                if (context.DequeueCount > 1)
                {
                    return "encoded";
                }

                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    throw new InvalidOperationException("the output does not verify: ffmpeg was asked to quit");
                }

                return "unreachable";
            })
            .AddOrchestratorFunc<string?, string>("EncodeOnce", (context, _) => context.CallActivityAsync<string>("Encode"));
        var backend = await CreateBackendAsync();
        string id;
        await using (var first = await EngineHost.StartAsync(backend, registry))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("EncodeOnce");
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await first.Worker.StopAsync();
        }

        await using var next = await EngineHost.StartAsync(backend, registry);
        var done = await next.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("encoded", done.ReadOutputAs<string>());
        Assert.Empty((await backend.GetHistoryAsync(id)).OfType<Recording.Durable.History.TaskFailed>());
    }

    [Fact]
    public async Task EpisodeCommittingWhenItsWorkerStops_IsCommittedWhole_SoTheNextWorkerCarriesItOnAtOnce()
    {
        // Cut halfway, the commit would leave the instance locked and its start message invisible until the locks expired:
        // a minute or more in which no worker could carry the instance on.
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<string?, string>("AwaitGo", (context, _) => context.WaitForExternalEvent<string>("go"));
        var gate = new CommitStepGate(CommitStep.ActivityRequestsSent);
        var backend = await CreateBackendAsync(gate);
        string id;
        await using (var first = await EngineHost.StartAsync(backend, registry))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("AwaitGo");
            await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30));
            var stop = first.Worker.StopAsync();
            gate.Release();
            await stop;
        }

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await backend.GetInstanceAsync(id))?.RuntimeStatus);
        await using var next = await EngineHost.StartAsync(backend, registry);
        await next.Client.RaiseEventAsync(id, "go", "went");
        var done = await next.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("went", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WorkLockedAsItsWorkerStops_IsGivenBack_SoTheNextWorkerTakesItAtOnce()
    {
        // A fetch cut by the stop would drop a lock the store had already taken: the instance would wait out the lock.
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<string?, string>("Hello", (_, _) => Task.FromResult("hello"));
        var backend = await FaultInjectingBackend.CreateAsync(listener => CreateBackendAsync(listener), FaultInjectingBackend.Never);
        var locked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.AfterOrchestrationLocked = async () =>
        {
            locked.TrySetResult();
            await release.Task;
        };
        string id;
        await using (var first = await EngineHost.StartAsync(backend, registry))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Hello");
            await locked.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var stop = first.Worker.StopAsync();
            release.SetResult();
            await stop;
        }

        backend.AfterOrchestrationLocked = null;
        await using var next = await EngineHost.StartAsync(backend, registry, start: false);
        Assert.True(await next.Worker.ProcessNextOrchestrationAsync());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await backend.GetInstanceAsync(id))?.RuntimeStatus);
    }
}
