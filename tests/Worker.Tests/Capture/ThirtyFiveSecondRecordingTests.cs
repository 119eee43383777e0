using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.TestSupport;

namespace Recording.Worker.Tests.Capture;

/// <summary>The first acceptance test, through the real worker: 35 s of RTMP in 10 s segments, stopped with SIGINT.</summary>
public sealed class ThirtyFiveSecondRecordingTests
{
    [Fact]
    public async Task Capture_35SecondsOfRtmpIn10SecondSegments_GivesFourContinuousSegments()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("cam"));
        var output = Directory.CreateTempSubdirectory("worker-35s-").FullName;
        await using var worker = WorkerProcess.Start([
            "capture", "--source", server.UrlFor("cam") + "?token=s3cret", "--output", output, "--segment", "10s", "--allow-short-segments",
            "--allow-private-networks", "--id", "rec-35s", "--min-free-disk", "0",
        ]);

        var first = Path.Combine(output, "segment_00000.mp4");
        await Eventually.UntilAsync(() => File.Exists(first) || worker.HasExited, TimeSpan.FromSeconds(60), "the first segment to open");
        Assert.False(worker.HasExited, worker.Tail());
        // The recording itself: 35 s of live media, not a wait for a condition.
        await Task.Delay(TimeSpan.FromSeconds(35));
        worker.Signal(Posix.SigInt);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, worker.Tail());
        var manifest = await ManifestFile.ReadAsync(output);
        Assert.Equal("rec-35s", manifest.RecordingId);
        Assert.Equal("stopped", manifest.ExitReason);
        Assert.DoesNotContain("s3cret", await File.ReadAllTextAsync(ManifestFile.PathIn(output)), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", worker.Transcript, StringComparison.Ordinal);
        Assert.Equal(4, manifest.Segments.Count);
        Assert.Empty(manifest.Gaps);

        var span = (manifest.Segments[^1].EndedAt - manifest.Segments[0].StartedAt).TotalSeconds;
        Assert.InRange(manifest.TotalDurationSeconds, span - 1.5, span + 1.5);
        for (var i = 1; i < manifest.Segments.Count; i++)
        {
            var gap = (manifest.Segments[i].StartedAt - manifest.Segments[i - 1].EndedAt).TotalSeconds;
            Assert.InRange(gap, -0.5, 0.5);
        }

        var probe = new MediaProbe();
        foreach (var segment in manifest.Segments)
        {
            var media = await probe.ProbeAsync(Path.Combine(output, segment.File));
            Assert.Equal(segment.DurationSeconds, media.Duration.TotalSeconds, 0.01);
            Assert.Equal("h264", media.Streams.VideoCodec);
            Assert.Equal("aac", media.Streams.AudioCodec);
        }

        Assert.All(manifest.Segments.Take(3), s => Assert.InRange(s.DurationSeconds, 9.5, 11.1));

        // stdout: one JSON event per line and nothing else; four segment-ready events, then exited.
        var events = WorkerProcess.Events(worker.Lines.Where(l => l.StartsWith('{')));
        Assert.Equal(4, events.Count(e => e.GetProperty("type").GetString() == "segment-ready"));
        var exited = events[^1];
        Assert.Equal("exited", exited.GetProperty("type").GetString());
        Assert.Equal("stopped", exited.GetProperty("reason").GetString());
    }
}
