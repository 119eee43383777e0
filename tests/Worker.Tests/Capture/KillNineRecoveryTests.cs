using System.Security.Cryptography;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.TestSupport;

namespace Recording.Worker.Tests.Capture;

/// <summary>kill -9 of the worker and its ffmpeg mid-segment, then a restart on the same folder.</summary>
public sealed class KillNineRecoveryTests
{
    [Fact]
    public async Task Capture_KilledMidSegment_KeepsClosedSegmentsPlaysTheOpenOneAndRecoversOnRestart()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("crash"));
        var output = Directory.CreateTempSubdirectory("worker-kill9-").FullName;
        string[] args = ["capture", "--source", server.UrlFor("crash"), "--output", output, "--segment", "6s", "--allow-short-segments", "--allow-private-networks", "--id", "rec-crash", "--min-free-disk", "0"];

        var worker = WorkerProcess.Start(args);
        double elapsed;
        try
        {
            await worker.WaitForLineAsync(l => l.Contains("\"segment-ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the first segment");
            // Segment 1 opened when segment 0 closed (its wall-clock end in the manifest); kill 2.5 s into its 6 s.
            var opened = (await ManifestFile.ReadAsync(output)).Segments[0].EndedAt;
            await Eventually.UntilAsync(() => DateTimeOffset.UtcNow - opened >= TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(10), "2.5 s into segment 1");
            var ffmpeg = ProcessTable.ChildrenOf(worker.Id);
            Assert.NotEmpty(ffmpeg);
            worker.Signal(Posix.SigKill);
            foreach (var child in ffmpeg)
            {
                Posix.Kill(child, Posix.SigKill);
            }

            elapsed = (DateTimeOffset.UtcNow - opened).TotalSeconds;
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await worker.DisposeAsync();
        }

        var before = await ManifestFile.ReadAsync(output);
        Assert.Null(before.ExitReason);
        var probe = new MediaProbe();
        foreach (var closed in before.Segments)
        {
            var path = Path.Combine(output, closed.File);
            Assert.Equal(closed.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
            Assert.True((await probe.DecodeAsync(path)).IsClean, closed.File);
        }

        var truncated = await probe.ProbeAsync(Path.Combine(output, "segment_00001.mp4"));
        Assert.True(truncated.Duration.TotalSeconds >= elapsed - 2, $"open segment plays {truncated.Duration.TotalSeconds:0.00} s after {elapsed:0.00} s");

        // Restart on the same folder (no --id: the recording id comes from the old manifest), record one more segment, stop.
        await using var restarted = WorkerProcess.Start(args.Where((_, i) => i is not (9 or 10)).ToArray());
        await restarted.WaitForLineAsync(l => l.Contains("\"segment-ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a segment after the restart");
        restarted.Signal(Posix.SigInt);
        Assert.Equal(0, await restarted.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var after = await ManifestFile.ReadAsync(output);
        Assert.Equal("rec-crash", after.RecordingId);
        var recovered = after.Segments.Single(s => s.File == "segment_00001.mp4");
        Assert.Equal(SegmentEndReason.CrashRecovery, recovered.EndReason);
        Assert.Equal(truncated.Duration.TotalSeconds, recovered.DurationSeconds, 0.01);
        Assert.Equal(before.Segments[0], after.Segments[0]);
        Assert.Contains(after.Segments, s => s.Index >= 2 && s.EndReason is SegmentEndReason.Rotation or SegmentEndReason.Stop);
        Assert.Equal(after.Segments.Select(s => s.Index).Order(), after.Segments.Select(s => s.Index));
        Assert.Equal(after.Segments.Count, after.Segments.Select(s => s.File).Distinct().Count());
        Assert.Single(after.Gaps);
    }
}
