using System.Text.Json;
using Microsoft.Extensions.Options;
using Recording.Durable.Activities;
using Recording.Functions.Hosting;
using Recording.Functions.Jobs;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Tests.Jobs;

namespace Recording.Functions.Tests.Activities;

/// <summary>
/// A terminate that lands while the orchestration's StartCapture is on its way: the activity still runs (the engine does not
/// call back scheduled work), and must leave no capture running. On the queue runner and Azurite, as in Azure, reading back
/// what a job execution would find; the runner is wrapped only to place the terminate inside its launch, which no real run
/// can do on purpose.
/// </summary>
public sealed class StartCaptureTests : IDisposable
{
    private const string Id = "rec-t";
    private readonly string data = Directory.CreateTempSubdirectory("start-capture-").FullName;

    [Fact]
    public async Task TerminatedBeforeTheActivityRuns_QueuesNothing()
    {
        await using var rig = await QueueJobRig.StartAsync();
        var workspace = Workspace();
        await TerminationMarker.SetAsync(workspace.WorkFolder(Id), DateTimeOffset.UtcNow);

        var handle = await RunAsync(workspace, rig.Runner);

        Assert.Equal(StartCapture.NotStarted, handle.JobId);
        // The runner creates the recording's control queue before anything else it does.
        Assert.False(await ControlQueue(rig).ExistsAsync());
    }

    [Fact]
    public async Task TerminatedWhileTheJobIsLaunched_QueuesAStopForTheJobItStarted()
    {
        await using var rig = await QueueJobRig.StartAsync();
        var workspace = Workspace();
        // The terminate path set the marker while the start message was being queued; its own stop had looked for the job
        // before its control queue existed, and found nothing.
        var runner = new TerminatedDuringLaunch(rig.Runner, () => TerminationMarker.SetAsync(workspace.WorkFolder(Id), DateTimeOffset.UtcNow));

        var handle = await RunAsync(workspace, runner);

        var start = Assert.Single((await rig.Queues.GetQueueClient(rig.Options.StartQueueName).PeekMessagesAsync(32)).Value);
        Assert.Equal(handle.JobId, start.MessageId);
        // The job execution that takes the start message reads this stop first and captures nothing.
        var stop = Assert.Single((await ControlQueue(rig).PeekMessagesAsync(32)).Value);
        Assert.Equal("stop", JsonDocument.Parse(stop.Body.ToString()).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task NotTerminated_QueuesTheStart_AndNoStop()
    {
        await using var rig = await QueueJobRig.StartAsync();

        var handle = await RunAsync(Workspace(), rig.Runner);

        var start = Assert.Single((await rig.Queues.GetQueueClient(rig.Options.StartQueueName).PeekMessagesAsync(32)).Value);
        Assert.Equal(handle.JobId, start.MessageId);
        Assert.Empty((await ControlQueue(rig).PeekMessagesAsync(32)).Value);
    }

    public void Dispose() => Directory.Delete(data, recursive: true);

    private static Azure.Storage.Queues.QueueClient ControlQueue(QueueJobRig rig)
        => rig.Queues.GetQueueClient(QueueCaptureControlQueue.NameFor(rig.Options.ControlQueuePrefix, Id));

    private RecordingWorkspace Workspace() => new(Options.Create(new LocalDataOptions { DataDirectory = data }));

    private static Task<CaptureJobHandle> RunAsync(RecordingWorkspace workspace, ICaptureJobRunner runner)
        => new StartCapture(runner, workspace).RunAsync(
            new TaskActivityContext(nameof(StartCapture), Id, 1, 1, CancellationToken.None),
            new CaptureJobRequest { RecordingId = Id, SourceUrl = "rtmp://127.0.0.1/live/t", OutputDirectory = workspace.WorkFolder(Id), SegmentLength = TimeSpan.FromSeconds(5) });

    /// <summary>The real runner, with a terminate landing once its launch is done but before the activity looks again.</summary>
    private sealed class TerminatedDuringLaunch(ICaptureJobRunner inner, Func<Task> terminate) : ICaptureJobRunner
    {
        public async Task<CaptureJobHandle> StartAsync(CaptureJobRequest request, CancellationToken cancellationToken = default)
        {
            var handle = await inner.StartAsync(request, cancellationToken);
            await terminate();
            return handle;
        }

        public Task StopAsync(string recordingId, CancellationToken cancellationToken = default) => inner.StopAsync(recordingId, cancellationToken);
    }
}
