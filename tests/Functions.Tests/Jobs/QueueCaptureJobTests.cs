using System.Security.Cryptography;
using System.Text.Json;
using Recording.Functions.Jobs;
using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Jobs;

/// <summary>
/// The Azure Container Apps job path end to end on Azurite: the runner's start message is taken by a real worker `job`
/// execution recording a real RTMP source; its events reach the sink through the events queue; the stop request goes
/// through the control queue; a kill -9 mid-recording is resumed by the next execution on the same folder.
/// </summary>
public sealed class QueueCaptureJobTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    [Fact]
    public async Task QueueJob_StartTwiceThenStop_OneCaptureWhoseSegmentsArriveInOrderAndExitWithStop()
    {
        await using var rig = await QueueJobRig.StartAsync();
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("queued"));
        var output = Directory.CreateTempSubdirectory("queue-job-").FullName;
        await rig.Listener.StartAsync(CancellationToken.None);
        var request = Request("rec-queued", server.UrlFor("queued"), output);

        var first = await rig.Runner.StartAsync(request);
        var again = await rig.Runner.StartAsync(request);

        Assert.False(first.Reattached);
        Assert.True(again.Reattached);
        Assert.Equal(first.JobId, again.JobId);
        Assert.Equal(1, await rig.ApproximateCountAsync(rig.Options.StartQueueName));

        var job = rig.StartJobExecution();
        await rig.UntilAsync(() => rig.Sink.Segments.Count >= 2, Deadline, "two segment-ready events through the events queue");

        // A duplicate start message (a retried activity that died before recording its send) must not start a second capture:
        // the second execution finds the folder claimed by another message and deletes the duplicate.
        var duplicate = QueueCaptureStartMessage.From(request, rig.Options.EventsQueueName, QueueCaptureControlQueue.NameFor(rig.Options.ControlQueuePrefix, request.RecordingId));
        await rig.Queues.GetQueueClient(rig.Options.StartQueueName).SendMessageAsync(JsonSerializer.Serialize(duplicate, Json));
        var duplicateExecution = rig.StartJobExecution(wait: "10s");
        Assert.Equal(0, await duplicateExecution.WaitForExitAsync(Deadline));
        Assert.Contains("Duplicate start of rec-queued", duplicateExecution.Transcript, StringComparison.Ordinal);
        Assert.False(job.HasExited);

        await rig.Runner.StopAsync(request.RecordingId);
        await rig.UntilAsync(() => rig.Sink.Events.OfType<CaptureExited>().Any(), Deadline, "the exited event");
        var exited = rig.Sink.Events.OfType<CaptureExited>().Single();
        Assert.Equal(0, await job.WaitForExitAsync(Deadline));

        Assert.Equal(CaptureExitReason.Stopped, exited.Reason);
        Assert.IsType<CaptureExited>(rig.Sink.Events[^1]);
        var indexes = rig.Sink.Segments.Select(s => s.Segment.Index).ToList();
        Assert.Equal(Enumerable.Range(0, indexes.Count), indexes);
        Assert.Equal(indexes.Count, exited.Segments);
        Assert.True(indexes.Count >= 3, $"{indexes.Count} segments");

        var manifest = await ManifestFile.ReadAsync(output);
        Assert.Equal(CaptureExitReason.Stopped, manifest.ExitReason);
        Assert.Equal(rig.Sink.Segments.Select(s => s.Segment), manifest.Segments);
        await AssertPlayableAsync(output, manifest);

        // The job cleaned up: its start message is gone (the duplicate too) and so is the recording's control queue.
        Assert.Equal(0, await rig.ApproximateCountAsync(rig.Options.StartQueueName));
        Assert.False(await rig.Queues.GetQueueClient(QueueCaptureControlQueue.NameFor(rig.Options.ControlQueuePrefix, request.RecordingId)).ExistsAsync());
    }

    [Fact]
    public async Task QueueJob_ExecutionKilledMidRecording_NextExecutionResumesOnTheSameFolder()
    {
        await using var rig = await QueueJobRig.StartAsync();
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("crash"));
        var output = Directory.CreateTempSubdirectory("queue-job-crash-").FullName;
        await rig.Listener.StartAsync(CancellationToken.None);
        var request = Request("rec-crash", server.UrlFor("crash"), output);
        await rig.Runner.StartAsync(request);

        var doomed = rig.StartJobExecution(visibilityTimeout: "4s");
        await rig.UntilAsync(() => rig.Sink.Segments.Count >= 1, Deadline, "the first segment of the first execution");
        // Kill once the open segment holds complete fragments (a fragment per 1 s keyframe), so that there is something to recover.
        var open = Path.Combine(output, "segment_00001.mp4");
        await rig.UntilAsync(() => File.Exists(open) && new FileInfo(open).Length > 96 * 1024, Deadline, "segment 1 to hold a few fragments");
        var ffmpeg = ProcessTable.ChildrenOf(doomed.Id);
        doomed.Signal(Posix.SigKill);
        foreach (var child in ffmpeg)
        {
            Posix.Kill(child, Posix.SigKill);
        }

        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var before = await ManifestFile.ReadAsync(output);
        Assert.Null(before.ExitReason);
        var segmentsBefore = rig.Sink.Segments.Count;

        // The message comes back after its visibility timeout; the next execution claims the folder and carries on.
        var resumed = rig.StartJobExecution(visibilityTimeout: "4s");
        var lastBefore = before.Segments[^1].Index;
        await rig.UntilAsync(
            () => rig.Sink.Segments.Skip(segmentsBefore).Any(s => s.Segment.Index > lastBefore + 1),
            Deadline,
            "a segment recorded by the resumed execution");
        await rig.Runner.StopAsync(request.RecordingId);
        await rig.UntilAsync(() => rig.Sink.Events.OfType<CaptureExited>().Any(), Deadline, "the exited event");
        var exited = rig.Sink.Events.OfType<CaptureExited>().Single();
        Assert.Equal(0, await resumed.WaitForExitAsync(Deadline));

        Assert.Equal(CaptureExitReason.Stopped, exited.Reason);
        var after = await ManifestFile.ReadAsync(output);
        Assert.Equal("rec-crash", after.RecordingId);
        Assert.Equal(before.Segments[0], after.Segments[0]);
        Assert.Contains(after.Segments, s => s.EndReason == SegmentEndReason.CrashRecovery);
        Assert.Equal(after.Segments.Select(s => s.Index).Order(), after.Segments.Select(s => s.Index));
        Assert.Equal(after.Segments.Count, exited.Segments);
        // At least once: every segment of the folder was announced, the ones the dead execution closed included.
        Assert.Equal(after.Segments.Select(s => s.Index).ToHashSet(), rig.Sink.Segments.Select(s => s.Segment.Index).ToHashSet());
        Assert.Single(after.Gaps);
        await AssertPlayableAsync(output, after);
        Assert.Equal(0, await rig.ApproximateCountAsync(rig.Options.StartQueueName));
    }

    private static async Task AssertPlayableAsync(string output, SegmentManifest manifest)
    {
        var probe = new MediaProbe();
        foreach (var segment in manifest.Segments)
        {
            var path = Path.Combine(output, segment.File);
            Assert.Equal(segment.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
            var info = await probe.ProbeAsync(path);
            Assert.Equal("h264", info.Streams.VideoCodec);
            Assert.Equal("aac", info.Streams.AudioCodec);
            // A segment a stop closed holds what came before the stop, which can be a fraction of a second: only it may be that short.
            var shortest = segment.EndReason == SegmentEndReason.Stop ? TimeSpan.Zero : TimeSpan.FromSeconds(0.5);
            Assert.True(info.Duration > shortest, $"{segment.File} ({segment.EndReason}) lasts {info.Duration}");
            Assert.Equal(segment.DurationSeconds, info.Duration.TotalSeconds, 0.1);
        }
    }

    private static CaptureJobRequest Request(string id, string source, string output) => new()
    {
        RecordingId = id,
        SourceUrl = source,
        OutputDirectory = output,
        SegmentLength = TimeSpan.FromSeconds(3),
        ResumeWindow = TimeSpan.FromSeconds(10),
        AllowPrivateNetworks = true,
    };
}
