using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Registry;
using Recording.Durable.Tests.Faults;

namespace Recording.Durable.Tests.Conformance;

/// <summary>Competing workers: two or three workers on one store, as so many processes would be, never commit the same episode twice.</summary>
public abstract partial class BackendConformanceTests
{
    /// <summary>A fresh store, and a factory of backend objects on it (each call: another object on the same store, as another process would
    /// have), each reporting its commit steps to the given listener.</summary>
    protected abstract Task<Func<ICommitStepListener?, Task<IDurableBackend>>> CreateSharedStoreAsync();

    /// <summary>Orchestration lock of the competing workers; a stalled worker sleeps past it so that the other takes the instance over.</summary>
    protected virtual TimeSpan CompetitionLock => TimeSpan.FromMilliseconds(300);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Workers_CompetingForTheSameInstances_NeverCommitOneEpisodeTwice(int workerCount)
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Increment", (_, n) => Task.FromResult(n + 1))
            .AddOrchestratorFunc<int, int>("Counter", async (context, n) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    n = await context.CallActivityAsync<int>("Increment", n);
                }

                return n;
            });
        var createBackend = await CreateSharedStoreAsync();
        var options = EngineHost.FastOptions();
        options.OrchestrationLockDuration = CompetitionLock;
        var wrappers = new List<FaultInjectingBackend>();
        var workers = new List<DurableWorker>();
        for (var w = 0; w < workerCount; w++)
        {
            var wrapper = await FaultInjectingBackend.CreateAsync(listener => createBackend(listener), FaultInjectingBackend.Never);
            var commits = 0;

            // Every third commit of a worker stalls past its lock, as a paused process would: another worker takes the instance over.
            wrapper.StallBeforeCommit = () => Interlocked.Increment(ref commits) % 3 == 0;
            wrapper.StallDuration = CompetitionLock * 3;
            wrappers.Add(wrapper);
            workers.Add(new DurableWorker(wrapper, registry, options));
        }

        var client = new DurableTaskClient(await createBackend(null));
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Counter", i * 10, new StartOrchestrationOptions($"counter-{i}")));
        }

        foreach (var worker in workers)
        {
            await worker.StartAsync();
        }

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            for (var i = 0; i < ids.Count; i++)
            {
                OrchestrationMetadata done;
                try
                {
                    done = await client.WaitForInstanceCompletionAsync(ids[i], deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    var state = await client.GetInstanceAsync(ids[i]);
                    throw new TimeoutException($"{ids[i]} did not complete: {state?.RuntimeStatus}; history: {await DescribeHistoryAsync(wrappers[0], ids[i])}; refused commits {wrappers.Sum(w => w.RefusedCommits)}");
                }

                Assert.True(
                    done.RuntimeStatus == OrchestrationRuntimeStatus.Completed && done.ReadOutputAs<int>() == i * 10 + 3,
                    $"{ids[i]} ended {done.RuntimeStatus} with {done.SerializedOutput} ({done.FailureDetails?.ErrorMessage}), expected {i * 10 + 3}; history: {await DescribeHistoryAsync(wrappers[0], ids[i])}");
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }

        // They did compete: every worker took a share of the episodes, and stale commits were refused.
        Assert.All(wrappers, w => Assert.NotEmpty(w.CommittedEpisodeStarts));
        Assert.True(wrappers.Sum(w => w.RefusedCommits) > 0, "no commit was refused: the workers never competed for an episode");

        // No episode (instance, execution, history it started from) was committed twice, by one worker or by two.
        var starts = wrappers.SelectMany(w => w.CommittedEpisodeStarts).ToList();
        Assert.Empty(starts.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key));
        foreach (var id in ids)
        {
            var history = await wrappers[0].GetHistoryAsync(id);
            Assert.True(
                starts.Count(s => s.InstanceId == id) == history.OfType<OrchestratorStarted>().Count(),
                $"{id}: {starts.Count(s => s.InstanceId == id)} episodes committed, history: {await DescribeHistoryAsync(wrappers[0], id)}");
            Assert.Equal([0, 1, 2], history.OfType<TaskScheduled>().Select(t => t.TaskId));
            Assert.Equal([0, 1, 2], history.OfType<TaskCompleted>().Select(t => t.TaskScheduledId));
        }
    }

    private static async Task<string> DescribeHistoryAsync(FaultInjectingBackend backend, string instanceId) =>
        string.Join(", ", (await backend.GetHistoryAsync(instanceId)).Select(e => e switch
        {
            TaskScheduled t => $"scheduled {t.TaskId} {t.Input}",
            TaskCompleted c => $"completed {c.TaskScheduledId} {c.Result}",
            _ => e.GetType().Name,
        }));
}
