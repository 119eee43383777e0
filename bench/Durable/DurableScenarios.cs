using System.Collections.Concurrent;
using System.Diagnostics;
using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.Instances;
using Recording.Durable.Registry;

namespace Recording.Durable.Bench;

/// <summary>The three measurements, each on a fresh store with one in-process worker (one "instance" in Durable Functions' terms).</summary>
internal static class DurableScenarios
{
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(4);

    /// <summary>Production defaults, with the activity concurrency of a Durable Functions instance's default (10 per core on 2 cores is close).</summary>
    private static DurableWorkerOptions WorkerOptions() => new()
    {
        MaxConcurrentOrchestrations = 8,
        MaxConcurrentActivities = 16,
    };

    /// <summary>Activity round trip: from one activity's return to the start of the next one in a sequence (the result message,
    /// an orchestrator episode that replays and schedules the next call, the request message, its pick-up). Milliseconds.</summary>
    public static async Task<IReadOnlyList<double>> RoundTripsAsync(IDurableBackend backend, int count)
    {
        var starts = new ConcurrentQueue<long>();
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Tick", (_, i) =>
            {
                starts.Enqueue(Stopwatch.GetTimestamp());
                return Task.FromResult(i);
            })
            .AddOrchestratorFunc<int, int>("Ticker", async (context, n) =>
            {
                var last = 0;
                for (var i = 0; i < n; i++)
                {
                    last = await context.CallActivityAsync<int>("Tick", i);
                }

                return last;
            });

        await using var engine = await StartAsync(backend, registry);

        // Warm-up (JIT, connection pools), not measured.
        await engine.RunAsync("Ticker", 5);
        starts.Clear();

        var output = await engine.RunAsync("Ticker", count);
        Require(output.ReadOutputAs<int>() == count - 1, $"Ticker returned {output.SerializedOutput}, expected {count - 1}");
        var stamps = starts.ToArray();
        return [.. stamps.Zip(stamps.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds)];
    }

    /// <summary>Orchestrations of three sequential activities, all scheduled at once: time from the first schedule to the last completion.</summary>
    public static async Task<TimeSpan> SequentialOrchestrationsAsync(IDurableBackend backend, int count)
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Step", (_, n) => Task.FromResult(n + 1))
            .AddOrchestratorFunc<int, int>("ThreeSteps", async (context, n) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    n = await context.CallActivityAsync<int>("Step", n);
                }

                return n;
            });
        await using var engine = await StartAsync(backend, registry);
        await engine.RunAsync("ThreeSteps", 0);

        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
            ids[i] = await engine.Client.ScheduleNewOrchestrationInstanceAsync("ThreeSteps", i, new StartOrchestrationOptions($"seq-{i}"), cancellationToken));

        var lastCompletion = startedAt;
        using var deadline = new CancellationTokenSource(ScenarioDeadline);
        for (var i = 0; i < count; i++)
        {
            var done = await engine.Client.WaitForInstanceCompletionAsync(ids[i], deadline.Token);
            Require(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed && done.ReadOutputAs<int>() == i + 3, $"{ids[i]} ended {done.RuntimeStatus} with {done.SerializedOutput}");
            var completedAt = done.CompletedAt ?? done.LastUpdatedAt;
            lastCompletion = completedAt > lastCompletion ? completedAt : lastCompletion;
        }

        // The completion time stored by the engine, not when this loop's polling noticed it (up to 250 ms later).
        var elapsed = lastCompletion - startedAt;
        return elapsed > TimeSpan.Zero ? elapsed : clock.Elapsed;
    }

    /// <summary>One orchestration that fans out to <paramref name="count"/> activities and sums their results: time from schedule to completion.</summary>
    public static async Task<TimeSpan> FanOutAsync(IDurableBackend backend, int count)
    {
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Square", (_, n) => Task.FromResult(n * n))
            .AddOrchestratorFunc<int, long>("FanOut", async (context, n) =>
            {
                var results = await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Square", i % 1000)));
                return results.Sum(r => (long)r);
            });
        await using var engine = await StartAsync(backend, registry);
        await engine.RunAsync("FanOut", 5);

        var done = await engine.RunAsync("FanOut", count);
        var expected = Enumerable.Range(0, count).Sum(i => (long)(i % 1000) * (i % 1000));
        Require(done.ReadOutputAs<long>() == expected, $"FanOut returned {done.SerializedOutput}, expected {expected}");
        return (done.CompletedAt ?? done.LastUpdatedAt) - done.CreatedAt;
    }

    private static async Task<RunningEngine> StartAsync(IDurableBackend backend, DurableTaskRegistry registry)
    {
        var signal = new WorkSignal();
        var worker = new DurableWorker(backend, registry, WorkerOptions(), signal);
        await worker.StartAsync();
        return new RunningEngine(worker, new DurableTaskClient(backend, signal));
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Benchmark result is wrong: " + problem);
        }
    }

    /// <summary>A started worker and its client; disposing stops the worker.</summary>
    private sealed record RunningEngine(DurableWorker Worker, DurableTaskClient Client) : IAsyncDisposable
    {
        public async Task<OrchestrationMetadata> RunAsync(string orchestrator, int input)
        {
            var id = await Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input);
            using var deadline = new CancellationTokenSource(ScenarioDeadline);
            var done = await Client.WaitForInstanceCompletionAsync(id, deadline.Token);
            Require(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{orchestrator} {id} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
            return done;
        }

        public ValueTask DisposeAsync() => Worker.DisposeAsync();
    }
}
