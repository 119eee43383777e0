using Microsoft.Extensions.Options;
using Recording.Durable.Activities;
using Recording.Functions.Hosting;
using Recording.Functions.Jobs;
using Recording.Functions.Orchestration.Activities;

namespace Recording.Functions.Tests.Activities;

/// <summary>
/// A terminate that lands while the orchestration's StartCapture is on its way: the activity still runs (the engine does not
/// call back scheduled work), and must leave no capture running. The runner stands in for the job platform, to place the
/// terminate at each point of the launch, which no real run can do on purpose.
/// </summary>
public sealed class StartCaptureTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("start-capture-").FullName;

    [Fact]
    public async Task TerminatedBeforeTheActivityRuns_LaunchesNothing()
    {
        var (workspace, runner) = Rig();
        await TerminationMarker.SetAsync(workspace.WorkFolder("rec-t"), DateTimeOffset.UtcNow);

        var handle = await Run(workspace, runner);

        Assert.Equal(StartCapture.NotStarted, handle.JobId);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task TerminatedWhileTheJobIsLaunched_StopsTheJobItLaunched()
    {
        var (workspace, runner) = Rig();
        // The terminate path ran while the job was being launched: it set the marker and found no job to stop yet.
        runner.DuringStart = () => TerminationMarker.SetAsync(workspace.WorkFolder("rec-t"), DateTimeOffset.UtcNow);

        var handle = await Run(workspace, runner);

        Assert.Equal("job-1", handle.JobId);
        Assert.Equal(["start rec-t", "stop rec-t"], runner.Calls);
    }

    [Fact]
    public async Task NotTerminated_StartsTheJob_AndStopsNothing()
    {
        var (workspace, runner) = Rig();

        var handle = await Run(workspace, runner);

        Assert.Equal("job-1", handle.JobId);
        Assert.Equal(["start rec-t"], runner.Calls);
    }

    public void Dispose() => Directory.Delete(data, recursive: true);

    private (RecordingWorkspace Workspace, RecordingRunner Runner) Rig()
        => (new RecordingWorkspace(Options.Create(new LocalDataOptions { DataDirectory = data })), new RecordingRunner());

    private static Task<CaptureJobHandle> Run(RecordingWorkspace workspace, RecordingRunner runner)
        => new StartCapture(runner, workspace).RunAsync(
            new TaskActivityContext(nameof(StartCapture), "rec-t", 1, 1, CancellationToken.None),
            new CaptureJobRequest { RecordingId = "rec-t", SourceUrl = "rtmp://127.0.0.1/live/t", OutputDirectory = workspace.WorkFolder("rec-t"), SegmentLength = TimeSpan.FromSeconds(5) });

    private sealed class RecordingRunner : ICaptureJobRunner
    {
        public List<string> Calls { get; } = [];

        public Func<Task>? DuringStart { get; set; }

        public async Task<CaptureJobHandle> StartAsync(CaptureJobRequest request, CancellationToken cancellationToken = default)
        {
            Calls.Add("start " + request.RecordingId);
            if (DuringStart is { } during)
            {
                await during();
            }

            return new CaptureJobHandle(request.RecordingId, "job-1", Reattached: false);
        }

        public Task StopAsync(string recordingId, CancellationToken cancellationToken = default)
        {
            Calls.Add("stop " + recordingId);
            return Task.CompletedTask;
        }
    }
}
