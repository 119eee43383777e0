using System.Security.Cryptography;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.TestSupport;

namespace Recording.Worker.Tests.Capture;

/// <summary>
/// kill -9 of the worker alone: its ffmpeg lives on, an orphan still pulling the source into the folder. A capture that
/// restarts on the folder must stop it before writing, not record beside it.
/// </summary>
public sealed class OrphanedFfmpegTests
{
    [Fact]
    public async Task Restart_AfterTheWorkerAloneWasKilled_StopsItsOrphanedFfmpegAndKeepsEverySegmentIntact()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("orphan"));
        var output = Directory.CreateTempSubdirectory("worker-orphan-").FullName;
        string[] args = ["capture", "--source", server.UrlFor("orphan"), "--output", output, "--segment", "2s", "--allow-short-segments", "--allow-private-networks", "--id", "rec-orphan", "--min-free-disk", "0"];
        int orphan;
        await using (var worker = WorkerProcess.Start(args))
        {
            await worker.WaitForLineAsync(l => l.Contains("\"segment-ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the first segment");
            orphan = Assert.Single(ProcessTable.ChildrenOf(worker.Id));
            worker.Signal(Posix.SigKill);
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        try
        {
            // The premise: ffmpeg outlived its worker and goes on writing segments nobody lists.
            Assert.True(ProcessTable.IsRunning(orphan), "ffmpeg should outlive a worker killed alone");
            var listed = (await ManifestFile.ReadAsync(output)).Segments.Count;
            await Eventually.UntilAsync(() => SegmentFiles(output).Count > listed + 1, TimeSpan.FromSeconds(30), "the orphan to write on");

            await using var restarted = WorkerProcess.Start(args);
            await restarted.WaitForLineAsync(l => l.Contains("\"segment-ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a segment after the restart");
            Assert.False(ProcessTable.IsRunning(orphan), "the restarted capture must stop the orphaned ffmpeg before it records");
            restarted.Signal(Posix.SigInt);
            Assert.Equal(0, await restarted.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            if (ProcessTable.IsRunning(orphan))
            {
                Posix.Kill(orphan, Posix.SigKill);
            }
        }

        // What the orphan wrote is recovered, nothing was written twice, and every file is what the manifest says.
        var manifest = await ManifestFile.ReadAsync(output);
        Assert.Equal(SegmentFiles(output).Order(StringComparer.Ordinal), manifest.Segments.Select(s => s.File).Order(StringComparer.Ordinal));
        Assert.Contains(manifest.Segments, s => s.EndReason == SegmentEndReason.CrashRecovery);
        Assert.Equal(manifest.Segments.Select(s => s.Index).Order(), manifest.Segments.Select(s => s.Index));
        var probe = new MediaProbe();
        foreach (var segment in manifest.Segments)
        {
            var path = Path.Combine(output, segment.File);
            Assert.Equal(segment.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
            Assert.True((await probe.DecodeAsync(path)).IsClean, segment.File);
        }
    }

    private static List<string> SegmentFiles(string folder)
        => [.. Directory.GetFiles(folder, "segment_*.mp4").Select(f => Path.GetFileName(f)!)];
}
