using System.Collections.Concurrent;
using System.Diagnostics;
using Recording.Durable.Backends;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Tests.Faults;
using Xunit.Abstractions;

namespace Recording.Durable.Tests.AzureStorage;

/// <summary>The fault suite's chaos orchestration on Azure Storage: crashes after every commit step, after locks and completions,
/// stalls past the lock, two workers on one task hub. Every run must end with the same output, every episode committed once.</summary>
/// <remarks>
/// Unlike SQLite, a crash after the history write leaves that write in place (there is no transaction to roll back), so
/// committed episodes are counted where the history write succeeded, not where the commit call returned.
/// </remarks>
public sealed class AzureStorageFaultSuiteTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    // 200 runs, as on SQLite: 4 rounds of 50 instances, each round a fresh task hub with two competing workers.
    private const int Rounds = 4;
    private const int InstancesPerRound = 50;

    [Fact]
    public async Task TwoHundredRandomizedRuns_WithCrashesBetweenCommitSteps_AllEndWithTheSameOutputAndNoEpisodeTwice()
    {
        var crashesByPoint = new Dictionary<string, int>();
        var totalRefused = 0;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            totalRefused += await RunRoundAsync(seed: 2000 + round, crashesByPoint);
        }

        output.WriteLine($"{Rounds * InstancesPerRound} runs in {clock.Elapsed.TotalSeconds:F1} s; refused stale commits {totalRefused}; crashes: " +
            string.Join(", ", crashesByPoint.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
        foreach (var step in Enum.GetValues<CommitStep>())
        {
            Assert.True(crashesByPoint.GetValueOrDefault(step.ToString()) > 0, $"no crash was injected after {step}");
        }

        Assert.True(crashesByPoint.GetValueOrDefault("after CompleteActivityWorkItemAsync") > 0, "no crash after an activity completion");
        Assert.True(crashesByPoint.Values.Sum() > 100, $"only {crashesByPoint.Values.Sum()} crashes were injected");
        Assert.True(totalRefused > 0, "no stale commit was refused: the two workers never competed for an instance");
    }

    private async Task<int> RunRoundAsync(int seed, Dictionary<string, int> crashesByPoint)
    {
        var backendOptions = azurite.NewOptions();
        var random = new Random(seed);
        var options = new DurableWorkerOptions
        {
            // Queue visibility counts whole seconds, so locks shorter than that buy nothing here.
            OrchestrationLockDuration = TimeSpan.FromMilliseconds(500),
            ActivityLockDuration = TimeSpan.FromSeconds(1),
            ActivityLockRenewInterval = TimeSpan.FromMilliseconds(300),
            MinPollingInterval = TimeSpan.FromMilliseconds(5),
            MaxPollingInterval = TimeSpan.FromMilliseconds(50),
            MaxConcurrentOrchestrations = 4,
            MaxConcurrentActivities = 8,
        };

        var episodes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var wrappers = new List<FaultInjectingBackend>();
        var workers = new List<DurableWorker>();
        for (var w = 0; w < 2; w++)
        {
            var wrapper = new FaultInjectingBackend(
                listener => new AzureStorageBackend(backendOptions, listener)
                {
                    HistoryCommitted = (id, events) =>
                    {
                        if (events > 0)
                        {
                            episodes.AddOrUpdate(id, 1, (_, n) => n + 1);
                        }
                    },
                },
                FaultInjectingBackend.Randomly(seed * 10 + w, probability: 0.08))
            {
                // Longer than the lock and the messages' invisibility, so that the other worker takes the instance over.
                StallDuration = TimeSpan.FromMilliseconds(1500),
            };
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
            workers.Add(new DurableWorker(wrapper, FaultSuiteTests.ChaosRegistry(), options));
        }

        var clientBackend = new AzureStorageBackend(backendOptions);
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

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            foreach (var (id, n) in ids)
            {
                var done = await client.WaitForInstanceCompletionAsync(id, deadline.Token);
                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal(FaultSuiteTests.Expected(n), done.ReadOutputAs<string>());
                FaultSuiteTests.AssertHistoryIsClean(await clientBackend.GetHistoryAsync(id), episodes.GetValueOrDefault(id), id);
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

        return wrappers.Sum(w => w.RefusedCommits);
    }
}
