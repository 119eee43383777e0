using Recording.Media.Compose;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.TestSupport;

namespace Recording.Worker.Tests.MediaOps;

/// <summary>A job stopped with SIGTERM (Container Apps' stop) ends its ffmpeg, reports nothing and leaves no partial file.</summary>
public sealed class MediaOpsStopTests(MediaOpsSourcesFixture fixture) : IClassFixture<MediaOpsSourcesFixture>
{
    [Fact]
    public async Task Compose_StoppedWithSigterm_EndsFfmpegExitsWith143AndRemovesThePartialOutput()
    {
        // Ten minutes of composite (the tracks' last frames are held): it cannot finish before the signal.
        var timeline = Path.Combine(fixture.Participants, "long.json");
        await MediaOpsSourcesFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Duration = 600,
            Tracks = [new TimelineTrack { File = "a.mp4", Participant = "Alice", Role = "host", JoinAt = 0, LeaveAt = 600 }],
        });
        var output = Path.Combine(TestMedia.NewFolder("worker-stop-"), "long.mp4");
        await using var worker = WorkerProcess.Start(["compose", "--timeline", timeline, "--output", output, "--size", "320x180", "--frame-rate", "10", "--preset", "ultrafast"]);

        var ffmpeg = 0;
        await Eventually.UntilAsync(() => (ffmpeg = ProcessTable.ChildrenOf(worker.Id).FirstOrDefault(IsFfmpeg)) != 0, TimeSpan.FromSeconds(60), "the compose ffmpeg to start");
        await Eventually.UntilAsync(() => File.Exists(output), TimeSpan.FromSeconds(30), "ffmpeg to open the output");
        worker.Signal(Posix.SigTerm);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 143, worker.Tail());
        Assert.Contains("stopped: compose was stopped on request; the partial output was removed", worker.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Lines, l => l.StartsWith("{\"type\"", StringComparison.Ordinal));
        Assert.False(File.Exists(output));
        Assert.False(Directory.Exists($"/proc/{ffmpeg}") && IsFfmpeg(ffmpeg), "the worker's ffmpeg must have ended");
    }

    private static bool IsFfmpeg(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "ffmpeg";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
