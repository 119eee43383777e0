using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recording.Functions.Jobs;
using Recording.Media.Capture;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Jobs;

/// <summary>
/// The queue-driven job path on real parts: Azurite, the runner and listener of src/Functions, and the real worker executable
/// (its build output, copied next to the tests) consuming the start queue as a Container Apps job execution would.
/// </summary>
internal sealed class QueueJobRig : IAsyncDisposable
{
    private readonly List<ManagedProcess> workers = [];

    private QueueJobRig(AzuriteServer azurite, QueueCaptureJobOptions options)
    {
        Azurite = azurite;
        Options = options;
        Runner = new QueueCaptureJobRunner(Microsoft.Extensions.Options.Options.Create(options), NullLogger<QueueCaptureJobRunner>.Instance);
        Listener = new QueueCaptureEventListener(Microsoft.Extensions.Options.Options.Create(options), Sink, MediaJobs, NullLogger<QueueCaptureEventListener>.Instance);
        Queues = options.CreateServiceClient();
    }

    public AzuriteServer Azurite { get; }

    public QueueCaptureJobOptions Options { get; }

    public QueueCaptureJobRunner Runner { get; }

    public QueueCaptureEventListener Listener { get; }

    public RecordingSink Sink { get; } = new();

    public MediaJobResultSink MediaJobs { get; } = new();

    public QueueServiceClient Queues { get; }

    public static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "Recording.Worker.dll");

    public static async Task<QueueJobRig> StartAsync(Action<QueueCaptureJobOptions>? configure = null)
    {
        var azurite = await AzuriteServer.StartAsync();
        var options = new QueueCaptureJobOptions
        {
            ConnectionString = azurite.ConnectionString,
            MinPollingInterval = TimeSpan.FromMilliseconds(50),
            MaxPollingInterval = TimeSpan.FromMilliseconds(250),
            EventVisibilityTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return new QueueJobRig(azurite, options);
    }

    /// <summary>One job execution: `job --once` with the connection string in the environment, as the Container Apps job gets it.</summary>
    public ManagedProcess StartJobExecution(string visibilityTimeout = "6s", string wait = "60s")
    {
        var worker = ManagedProcess.Start(
            "dotnet",
            [WorkerDll, "job", "--start-queue", Options.StartQueueName, "--once", "--wait", wait, "--visibility-timeout", visibilityTimeout,
             "--stop-poll-interval", "1s", "--allow-private-networks", "--min-free-disk", "0"],
            environment: new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = Azurite.ConnectionString });
        workers.Add(worker);
        return worker;
    }

    /// <summary>Waits on a condition; on timeout, the failure carries what the job executions wrote.</summary>
    public async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        try
        {
            await Eventually.UntilAsync(condition, deadline, what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + string.Join("\n---\n", workers.Select(w => w.Tail(60))), ex);
        }
    }

    public async Task<int> ApproximateCountAsync(string queue)
        => (await Queues.GetQueueClient(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        Listener.Dispose();
        await Azurite.DisposeAsync();
    }
}

/// <summary>The orchestration's place in these tests: records every event the listener hands over, in arrival order.</summary>
internal sealed class RecordingSink : ICaptureEventSink
{
    private readonly ConcurrentQueue<CaptureEvent> received = new();

    /// <summary>Fails this many deliveries before accepting, to prove redelivery.</summary>
    public int FailuresToInject { get; set; }

    public IReadOnlyList<CaptureEvent> Events => received.ToArray();

    public IReadOnlyList<SegmentReady> Segments => received.OfType<SegmentReady>().ToArray();

    public Task PublishAsync(CaptureEvent captureEvent, CancellationToken cancellationToken = default)
    {
        if (FailuresToInject > 0)
        {
            FailuresToInject--;
            throw new InvalidOperationException("injected sink failure");
        }

        received.Enqueue(captureEvent);
        return Task.CompletedTask;
    }
}
