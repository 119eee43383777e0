using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recording.Functions.Jobs;
using Recording.Media.Ffmpeg;
using Recording.Media.Jobs;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Jobs;

/// <summary>
/// The local media job runner with the real worker (<c>Recording.Worker media-job</c>) and ffmpeg: the job runs in a child
/// process, its result is published when the worker exits, and whether it runs is read from the machine (the job's flock and
/// result file), so a killed worker is started again and a restarted service leaves a running one alone.
/// </summary>
public sealed class LocalProcessMediaJobRunnerTests : IAsyncLifetime
{
    private static readonly TimeSpan JobDeadline = TimeSpan.FromSeconds(120);

    private readonly string folder = Directory.CreateTempSubdirectory("media-job-runner-").FullName;
    private string source = "";

    public async Task InitializeAsync()
    {
        // 360p, so that of the rungs 240, 360 and 720 the last is skipped (never upscale).
        source = Path.Combine(folder, "spliced.mp4");
        await new FfmpegRunner().RunAsync([
            "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-c:a", "aac", "-b:a", "64k", source]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Ladder_RunsInAWorkerProcess_ItsResultIsPublishedWhenTheWorkerExits_AndFoundAgainByFile()
    {
        var sink = new MediaJobResultSink();
        await using var runner = Runner(sink);
        var order = new MediaJobOrder("rec-ladder", Ladder("rec-ladder:ladder"));

        Assert.Equal(MediaJobState.Started, (await runner.EnsureAsync(order)).State);
        Assert.Equal(MediaJobState.Running, (await runner.EnsureAsync(order)).State);

        await Eventually.UntilAsync(() => sink.Published.Count > 0, JobDeadline, "the ladder job's result");
        var (recordingId, operation, result) = Assert.Single(sink.Published);
        Assert.Equal(("rec-ladder", MediaJobOperation.Ladder), (recordingId, operation));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([240, 360], result.Renditions.Select(r => r.ShortSide));
        foreach (var rendition in result.Renditions)
        {
            var probe = await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=height:format=duration", "-of", "csv=p=0", rendition.Mp4Path);
            var lines = probe.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(rendition.ShortSide.ToString(CultureInfo.InvariantCulture), lines[0]);
            Assert.InRange(double.Parse(lines[1], CultureInfo.InvariantCulture), 5.8, 6.2);
        }

        Assert.True(File.Exists(result.MasterPlaylistPath));
        // Asked again (the orchestrator's check), the runner answers from the result file and starts nothing.
        var again = await runner.EnsureAsync(order);
        Assert.Equal(MediaJobState.Finished, again.State);
        Assert.Equal(result.Renditions, again.Result!.Renditions);
        Assert.Single(sink.Published);
    }

    [Fact]
    public async Task WorkerKilled_TheNextCheckStartsTheJobAgain_UnlessTheOrderAllowsNoMoreStarts()
    {
        var sink = new MediaJobResultSink();
        await using var runner = Runner(sink);
        var order = new MediaJobOrder("rec-killed", Ladder("rec-killed:ladder"));
        Assert.Equal(MediaJobState.Started, (await runner.EnsureAsync(order)).State);
        var worker = await MediaWorkerProcess.FindAsync(Environment.ProcessId, order.Request.OutputDirectory);
        MediaWorkerProcess.Kill(worker);

        await Eventually.UntilAsync(async () => (await runner.EnsureAsync(order with { MayStart = false })).State == MediaJobState.NotRunning, TimeSpan.FromSeconds(30), "the runner to see the worker gone");
        Assert.Empty(sink.Published);
        Assert.Null(await MediaJobResultFile.ReadAsync(order.Request));

        Assert.Equal(MediaJobState.Started, (await runner.EnsureAsync(order)).State);
        await Eventually.UntilAsync(() => sink.Published.Count > 0, JobDeadline, "the restarted job's result");
        Assert.True(sink.Published[0].Result.Succeeded, sink.Published[0].Result.Error);
        Assert.Equal([240, 360], sink.Published[0].Result.Renditions.Select(r => r.ShortSide));
    }

    [Fact]
    public async Task AfterTheServiceRestarts_ARunningWorkerIsLeftAlone_AndItsResultIsFoundByFile()
    {
        var order = new MediaJobOrder("rec-restart", Ladder("rec-restart:ladder"));
        var before = Runner(new MediaJobResultSink());
        Assert.Equal(MediaJobState.Started, (await before.EnsureAsync(order)).State);
        var worker = await MediaWorkerProcess.FindAsync(Environment.ProcessId, order.Request.OutputDirectory);
        // Once it encodes, it holds the job's lock (a worker still starting up could meet a second one, which then steps aside).
        await Eventually.UntilAsync(() => ProcessTable.ChildrenOf(worker).Count > 0, JobDeadline, "the worker's ffmpeg or ffprobe");
        // The service stops: its runner lets go of the worker, which goes on.
        await before.DisposeAsync();
        Assert.True(Directory.Exists($"/proc/{worker}"), "the worker outlives the runner");

        var sink = new MediaJobResultSink();
        await using var after = Runner(sink);
        Assert.Contains((await after.EnsureAsync(order)).State, new[] { MediaJobState.Running, MediaJobState.Finished });

        var finished = await Eventually.WaitForAsync(
            async () => await after.EnsureAsync(order with { MayStart = false }) is { State: MediaJobState.Finished } status ? status : null, JobDeadline, "the result of the worker started before the restart");
        Assert.True(finished.Result!.Succeeded, finished.Result.Error);
        // Nothing was started twice: the new runner never launched a worker, so it has nothing to publish.
        Assert.Empty(sink.Published);
    }

    private MediaJobRequest Ladder(string jobId) => new()
    {
        JobId = jobId,
        Operation = MediaJobOperation.Ladder,
        Input = source,
        OutputDirectory = Path.Combine(folder, jobId.Replace(':', '-'), "renditions"),
        Rungs = [240, 360, 720],
    };

    private static LocalProcessMediaJobRunner Runner(IMediaJobEventSink sink) =>
        new(sink, Options.Create(new LocalCaptureOptions()), NullLogger<LocalProcessMediaJobRunner>.Instance);
}
