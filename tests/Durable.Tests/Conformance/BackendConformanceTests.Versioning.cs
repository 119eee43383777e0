using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.Instances;
using Recording.Durable.Orchestrations;
using Recording.Durable.Registry;
using Recording.Durable.Versioning;
using Recording.TestSupport;

namespace Recording.Durable.Tests.Conformance;

/// <summary>Orchestration versioning: the version an instance is created with, and which worker runs it during a rolling upgrade.</summary>
public abstract partial class BackendConformanceTests
{
    [Fact]
    public async Task Versions_AreStampedOnInstances_KeptAcrossContinueAsNew_AndGivenToSubOrchestrations()
    {
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<object?, string>("Child", (context, _) => Task.FromResult(context.Version))
            .AddOrchestratorFunc<string?, string>("Versioned", async (context, carried) =>
            {
                if (carried is null)
                {
                    var byDefault = await context.CallSubOrchestratorAsync<string>("Child");
                    var pinned = await context.CallSubOrchestratorAsync<string>("Child", options: new SubOrchestrationOptions(Version: "0.9"));
                    context.ContinueAsNew($"{context.Version}|{byDefault}|{pinned}");
                    return "";
                }

                return $"{carried}|{context.Version}";
            });
        var options = EngineHost.FastOptions();
        options.Versioning.DefaultVersion = "2.0";
        var backend = await CreateBackendAsync();
        await using var worker = new DurableWorker(backend, registry, options);
        await worker.StartAsync();
        var client = new DurableTaskClient(backend, worker.Signal, defaultVersion: options.Versioning.DefaultVersion);

        await client.ScheduleNewOrchestrationInstanceAsync("Versioned", options: new StartOrchestrationOptions("by-default"));
        await client.ScheduleNewOrchestrationInstanceAsync("Versioned", options: new StartOrchestrationOptions("pinned", Version: "1.5"));
        var byDefault = await WaitForCompletionAsync(client, "by-default");
        var pinned = await WaitForCompletionAsync(client, "pinned");

        // Parent before and after ContinueAsNew, then its two children: a child takes the worker's version unless the call names one.
        Assert.Equal("2.0|2.0|0.9|2.0", byDefault.ReadOutputAs<string>());
        Assert.Equal("1.5|2.0|0.9|1.5", pinned.ReadOutputAs<string>());
        Assert.Equal("2.0", byDefault.Version);
        Assert.Equal("1.5", pinned.Version);
        Assert.Equal("2.0", (await client.GetInstanceAsync("pinned:0000"))!.Version);
        Assert.Equal("0.9", (await client.GetInstanceAsync("pinned:0001"))!.Version);
    }

    [Fact]
    public async Task RollingUpgrade_TheOldWorkerLeavesNewerInstancesAlone_AndTheNewWorkerCarriesOldInstancesOn()
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string, string>("Echo", (_, text) => Task.FromResult(text))
            .AddOrchestratorFunc<object?, string>("Steps", async (context, _) =>
            {
                var first = await context.CallActivityAsync<string>("Echo", context.Version);
                var go = await context.WaitForExternalEvent<string>("go");
                return $"{first}|{go}|{context.Version}";
            });
        var createBackend = await CreateSharedStoreAsync();
        var oldLog = new CapturingLoggerFactory();
        await using var oldWorker = new DurableWorker(await createBackend(null), registry, WorkerOfVersion("1", VersionFailureStrategy.Reject), loggerFactory: oldLog);
        await using var newWorker = new DurableWorker(await createBackend(null), registry, WorkerOfVersion("2", VersionFailureStrategy.Reject));
        var client = new DurableTaskClient(await createBackend(null));

        // Only the old code runs: it starts its own instance and leaves the one that newer code started.
        await oldWorker.StartAsync();
        await client.ScheduleNewOrchestrationInstanceAsync("Steps", options: new StartOrchestrationOptions("started-by-old", Version: "1"));
        await client.ScheduleNewOrchestrationInstanceAsync("Steps", options: new StartOrchestrationOptions("started-by-new", Version: "2"));
        await WaitUntilAsync(async () => (await client.GetInstanceAsync("started-by-old"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the old instance runs");
        List<string> LeftNewer() => [.. oldLog.Lines.Where(l => l.Contains("Left orchestration started-by-new for another worker", StringComparison.Ordinal))];
        await WaitUntilAsync(() => Task.FromResult(LeftNewer().Count >= 3), "the old worker leaves the newer instance, again and again");
        Assert.All(LeftNewer(), line => Assert.Contains("newer than this worker's '1'", line, StringComparison.Ordinal));
        // It comes back every RejectedRetryDelay: the first leave is the warning, the rest are Debug ("again").
        Assert.Single(LeftNewer(), line => !line.Contains("for another worker again", StringComparison.Ordinal));
        var untouched = await client.GetInstanceAsync("started-by-new");
        Assert.Equal(OrchestrationRuntimeStatus.Pending, untouched!.RuntimeStatus);
        var backend = await createBackend(null);
        Assert.Empty(await backend.GetHistoryAsync("started-by-new"));

        // The new code comes up, the old goes: the new worker runs its own instance and finishes the old one where it waits.
        await newWorker.StartAsync();
        await client.RaiseEventAsync("started-by-new", "go", "new-go");
        Assert.Equal("2|new-go|2", (await WaitForCompletionAsync(client, "started-by-new")).ReadOutputAs<string>());
        await oldWorker.StopAsync();
        await client.RaiseEventAsync("started-by-old", "go", "after-upgrade");
        var carriedOn = await WaitForCompletionAsync(client, "started-by-old");
        Assert.Equal("1|after-upgrade|1", carriedOn.ReadOutputAs<string>());
        Assert.Equal("1", carriedOn.Version);
    }

    [Fact]
    public async Task FailStrategy_EndsAnInstanceOfAnotherVersionFailed_WithoutRunningItsCode()
    {
        var runs = 0;
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<object?, string>("Counted", (context, _) =>
            {
                Interlocked.Increment(ref runs);
                return Task.FromResult(context.Version);
            });
        var options = WorkerOfVersion("1", VersionFailureStrategy.Fail);
        options.Versioning.MatchStrategy = VersionMatchStrategy.Strict;
        var backend = await CreateBackendAsync();
        await using var worker = new DurableWorker(backend, registry, options);
        await worker.StartAsync();
        var client = new DurableTaskClient(backend, worker.Signal);

        await client.ScheduleNewOrchestrationInstanceAsync("Counted", options: new StartOrchestrationOptions("newer", Version: "2"));
        await client.ScheduleNewOrchestrationInstanceAsync("Counted", options: new StartOrchestrationOptions("older", Version: "0.5"));
        var newer = await WaitForCompletionAsync(client, "newer");
        var older = await WaitForCompletionAsync(client, "older");

        foreach (var (ended, version) in new[] { (newer, "2"), (older, "0.5") })
        {
            Assert.Equal(OrchestrationRuntimeStatus.Failed, ended.RuntimeStatus);
            Assert.Equal("VersionMismatch", ended.FailureDetails!.ErrorType);
            Assert.Contains($"the instance's version '{version}' is not this worker's '1' (Strict)", ended.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        }

        Assert.Equal(0, runs);

        // The same worker runs an instance of its own version.
        await client.ScheduleNewOrchestrationInstanceAsync("Counted", options: new StartOrchestrationOptions("same", Version: "1"));
        Assert.Equal("1", (await WaitForCompletionAsync(client, "same")).ReadOutputAs<string>());
    }

    private static DurableWorkerOptions WorkerOfVersion(string version, VersionFailureStrategy failure)
    {
        var options = EngineHost.FastOptions();
        options.Versioning.DefaultVersion = version;
        options.Versioning.FailureStrategy = failure;
        options.Versioning.RejectedRetryDelay = TimeSpan.FromMilliseconds(100);
        return options;
    }

    private static async Task<OrchestrationMetadata> WaitForCompletionAsync(DurableTaskClient client, string instanceId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await client.WaitForInstanceCompletionAsync(instanceId, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{instanceId} did not complete: {(await client.GetInstanceAsync(instanceId))?.RuntimeStatus}");
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
