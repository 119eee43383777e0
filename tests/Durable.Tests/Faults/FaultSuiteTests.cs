using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Registry;
using Xunit.Abstractions;

namespace Recording.Durable.Tests.Faults;

/// <summary>Crashes between every pair of commit steps, after locks and after completions, with two workers competing on one SQLite file:
/// every run must end with the same output, every episode committed once, no event lost.</summary>
/// <remarks>A backend's fault test class derives from this and supplies backends on one shared, fresh store.</remarks>
public abstract class FaultSuiteTests
{
    private readonly ITestOutputHelper output;
    private readonly Dictionary<string, int> crashesByPoint = [];

    protected FaultSuiteTests(ITestOutputHelper output) => this.output = output;

    /// <summary>4 rounds of 50 instances: 200 runs.</summary>
    protected virtual int Rounds => 4;

    protected virtual int InstancesPerRound => 50;

    /// <summary>Lock and lease duration of the workers; short, so that crashed work reappears quickly.</summary>
    protected virtual TimeSpan LockDuration => TimeSpan.FromMilliseconds(300);

    protected virtual TimeSpan RoundDeadline => TimeSpan.FromSeconds(90);

    /// <summary>A fresh store, and a factory of backends on it (each call: another backend object on the same store, as another process would have),
    /// each reporting its commit steps to the given listener.</summary>
    protected abstract Task<Func<ICommitStepListener?, Task<IDurableBackend>>> CreateSharedStoreAsync();

    public static DurableTaskRegistry ChaosRegistry() => new DurableTaskRegistry()
        .AddActivityFunc<int, int>("Square", (_, n) => Task.FromResult(n * n))
        .AddOrchestratorFunc<int, string>("Chaos", async (context, n) =>
        {
            var first = await context.CallActivityAsync<int>("Square", n);
            await context.CreateTimer(TimeSpan.FromMilliseconds(15));
            var fan = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => context.CallActivityAsync<int>("Square", n + i)));
            var e1 = await context.WaitForExternalEvent<string>("e1");
            using var cancelTimer = new CancellationTokenSource();
            var e2 = context.WaitForExternalEvent<string>("e2");
            var timeout = context.CreateTimer(TimeSpan.FromMinutes(5), cancelTimer.Token);
            if (await Task.WhenAny(e2, timeout) != e2)
            {
                return "timed out";
            }

#pragma warning disable CA1849 // orchestrator code cancels on its own thread
            cancelTimer.Cancel();
#pragma warning restore CA1849
            return $"{first}|{fan.Sum()}|{e1}|{await e2}";
        });

    public static string Expected(int n) => $"{n * n}|{Enumerable.Range(1, 5).Sum(i => (n + i) * (n + i))}|one-{n}|two-{n}";

    [Fact]
    public async Task TwoHundredRandomizedRuns_WithCrashesBetweenCommitSteps_AllEndWithTheSameOutputAndNoEpisodeTwice()
    {
        var totalCrashes = 0;
        var totalRefused = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var (crashes, refused) = await RunRoundAsync(seed: 1000 + round);
            totalCrashes += crashes;
            totalRefused += refused;
        }

        output.WriteLine($"crashes {totalCrashes}, refused stale commits {totalRefused}: " + string.Join(", ", crashesByPoint.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));

        // The faults really happened: a crash after every commit step and after every call that holds work, and stale commits refused.
        foreach (var step in Enum.GetValues<CommitStep>())
        {
            Assert.True(crashesByPoint.GetValueOrDefault(step.ToString()) > 0, $"no crash was injected after {step}");
        }

        Assert.True(crashesByPoint.GetValueOrDefault("after CompleteActivityWorkItemAsync") > 0, "no crash after an activity completion");
        Assert.True(totalCrashes > 100, $"only {totalCrashes} crashes were injected");
        Assert.True(totalRefused > 0, "no stale commit was refused: the two workers never competed for an instance");
    }

    private async Task<(int Crashes, int Refused)> RunRoundAsync(int seed)
    {
        var createBackend = await CreateSharedStoreAsync();
        var random = new Random(seed);
        var options = new DurableWorkerOptions
        {
            OrchestrationLockDuration = LockDuration,
            ActivityLockDuration = LockDuration,
            ActivityLockRenewInterval = LockDuration / 3,
            MinPollingInterval = TimeSpan.FromMilliseconds(5),
            MaxPollingInterval = TimeSpan.FromMilliseconds(40),
            MaxConcurrentOrchestrations = 2,
            MaxConcurrentActivities = 4,
        };

        // Two workers as two processes would be: separate backend objects on one file, separate wake-up signals.
        var wrappers = new List<FaultInjectingBackend>();
        var workers = new List<DurableWorker>();
        for (var w = 0; w < 2; w++)
        {
            var wrapper = await FaultInjectingBackend.CreateAsync(
                listener => createBackend(listener),
                FaultInjectingBackend.Randomly(seed * 10 + w, probability: 0.08));
            wrapper.StallDuration = LockDuration * 1.7;
            var stallRandom = new Random(seed * 100 + w);
            wrapper.StallBeforeCommit = () =>
            {
                lock (stallRandom)
                {
                    return stallRandom.NextDouble() < 0.03;
                }
            };
            await wrapper.CreateIfNotExistsAsync();
            wrappers.Add(wrapper);
            workers.Add(new DurableWorker(wrapper, ChaosRegistry(), options));
        }

        var clientBackend = await createBackend(null);
        var client = new DurableTaskClient(clientBackend);
        var ids = new List<(string Id, int N)>();
        for (var i = 0; i < InstancesPerRound; i++)
        {
            var n = random.Next(1, 1000);
            var id = await client.ScheduleNewOrchestrationInstanceAsync("Chaos", n, new StartOrchestrationOptions($"chaos-{seed}-{i}"));
            await client.RaiseEventAsync(id, "e1", $"one-{n}");
            ids.Add((id, n));
        }

        foreach (var worker in workers)
        {
            await worker.StartAsync();
        }

        try
        {
            foreach (var (id, n) in ids)
            {
                await client.RaiseEventAsync(id, "e2", $"two-{n}");
            }

            using var deadline = new CancellationTokenSource(RoundDeadline);
            foreach (var (id, n) in ids)
            {
                var done = await client.WaitForInstanceCompletionAsync(id, deadline.Token);
                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal(Expected(n), done.ReadOutputAs<string>());
                // A wrapper counts a commit when the backend's call returns, which can be after the client has seen the
                // instance complete: the count is read once it has caught up with the history (an episode in history
                // that no worker ever counts still fails, by the deadline).
                var history = await clientBackend.GetHistoryAsync(id);
                var episodes = history.OfType<OrchestratorStarted>().Count();
                await TestSupport.Eventually.UntilAsync(() => wrappers.Sum(w => w.CommittedEpisodes(id)) >= episodes, TimeSpan.FromSeconds(10), $"the workers to count the {episodes} episodes of {id}", TimeSpan.FromMilliseconds(10));
                AssertHistoryIsClean(history, wrappers.Sum(w => w.CommittedEpisodes(id)), id);
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync();
            }
        }

        foreach (var (point, count) in wrappers.SelectMany(w => w.CrashesByPoint))
        {
            crashesByPoint[point] = crashesByPoint.GetValueOrDefault(point) + count;
        }

        return (wrappers.Sum(w => w.Crashes), wrappers.Sum(w => w.RefusedCommits));
    }

    /// <summary>The history of one finished chaos run: each committed episode once, each call scheduled and answered once, both events, one end.</summary>
    internal static void AssertHistoryIsClean(IReadOnlyList<HistoryEvent> history, int committedEpisodes, string id)
    {
        // Every committed episode appears once in history, and nothing else does.
        Assert.Equal(committedEpisodes, history.OfType<OrchestratorStarted>().Count());
        Assert.Single(history.OfType<ExecutionStarted>());
        Assert.Single(history.OfType<ExecutionCompleted>());
        var scheduled = history.OfType<TaskScheduled>().Select(t => t.TaskId).ToList();
        Assert.Equal(scheduled.Distinct().Count(), scheduled.Count);
        Assert.Equal(6, scheduled.Count);
        Assert.Equal(scheduled.Order(), history.OfType<TaskCompleted>().Select(t => t.TaskScheduledId).Order());
        Assert.Equal(2, history.OfType<TimerCreated>().Count());
        Assert.Single(history.OfType<TimerFired>());

        // No event lost, none delivered twice.
        Assert.Equal(["e1", "e2"], history.OfType<EventRaised>().Select(e => e.Name).Order());
        Assert.True(history[^1] is ExecutionCompleted, $"{id}: history does not end with its completion");
    }
}
