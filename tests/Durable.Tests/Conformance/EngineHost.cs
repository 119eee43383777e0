using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.Registry;

namespace Recording.Durable.Tests.Conformance;

/// <summary>A backend with an in-process worker and client, as an app would run them, with fast polling for tests.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private EngineHost(IDurableBackend backend, DurableWorker worker, DurableTaskClient client)
    {
        Backend = backend;
        Worker = worker;
        Client = client;
    }

    public IDurableBackend Backend { get; }

    public DurableWorker Worker { get; }

    public DurableTaskClient Client { get; }

    public static DurableWorkerOptions FastOptions() => new()
    {
        MinPollingInterval = TimeSpan.FromMilliseconds(5),
        MaxPollingInterval = TimeSpan.FromMilliseconds(100),
        MaxConcurrentActivities = 8,
        MaxConcurrentOrchestrations = 2,
    };

    public static async Task<EngineHost> StartAsync(IDurableBackend backend, DurableTaskRegistry registry, DurableWorkerOptions? options = null, bool start = true)
    {
        var signal = new WorkSignal();
        var worker = new DurableWorker(backend, registry, options ?? FastOptions(), signal);
        if (start)
        {
            await worker.StartAsync();
        }

        return new EngineHost(backend, worker, new DurableTaskClient(backend, signal));
    }

    /// <summary>Waits for completion with a deadline, so that a broken feature fails the test instead of hanging it.</summary>
    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var state = await Client.GetInstanceAsync(instanceId);
            throw new TimeoutException($"Instance {instanceId} did not complete in time; it is {state?.RuntimeStatus}, custom status {state?.SerializedCustomStatus}.");
        }
    }

    public ValueTask DisposeAsync() => Worker.DisposeAsync();
}
