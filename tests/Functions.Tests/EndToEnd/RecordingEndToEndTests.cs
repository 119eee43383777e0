using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recording.Functions.Notifications;
using Recording.Functions.Tests.Jobs;
using Recording.Storage.Destinations;
using Recording.TestSupport;
using Xunit.Abstractions;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// The whole product against real parts: the service executable, its capture worker (ffmpeg), nginx-rtmp with a live synthetic
/// source, s3rver as the bucket and a webhook receiver. Segments are 5 s so that ~25 s of live video makes several of them.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class RecordingEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CompletionDeadline = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task StartRecordStop_DeliversSegmentsSplicedHlsAndLadderToTheBucket_AndSignedEvents()
    {
        await using var rig = await RecordingRig.StartAsync();
        // A threshold of 2 segments makes the orchestration continue as new during the recording.
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory, "Recording:Orchestration:ContinueAsNewAfterSegments=2");
        using var client = service.Client();
        const string id = "e2e-main";

        try
        {
            var status = await RecordingAssertions.StartRecordAndStopAsync(rig, client, id);
            await RecordingAssertions.DeliveredAsync(rig, id, status);

            // Stamped with the code's orchestration version when it started, and still so after continuing as new.
            Assert.Equal(Orchestration.OrchestratorCodeVersion.Current, status.GetProperty("orchestrationVersion").GetString());
        }
        catch
        {
            output.WriteLine("service:\n" + service.Tail());
            throw;
        }
    }

    [Fact]
    public async Task LadderWorkerKilled_TheOrchestratorsCheckStartsTheJobAgain_AndTheRungIsDelivered()
    {
        await using var rig = await RecordingRig.StartAsync();
        // Checks every 2 s rather than every 2 minutes, so that the restart comes soon after the kill.
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory, "Recording:Orchestration:MediaJobCheckInterval=00:00:02");
        using var client = service.Client();
        const string id = "e2e-media-kill";
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, thumbnails: false))).StatusCode);
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two uploaded segments");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);

        var worker = await MediaWorkerProcess.FindAsync(service.Id, id);
        MediaWorkerProcess.Kill(worker);
        Assert.False(File.Exists(Path.Combine(rig.DataDirectory, "recordings", id, "post", "renditions.result.json")), "the worker was killed before it had a result");

        await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed after the restarted job", TimeSpan.FromMilliseconds(500));
        var status = await RecordingRig.CompletedStatusAsync(client, id);
        Assert.Contains(status.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "media-job-restarted");
        await AssertRung240DeliveredAsync(rig, status);
    }

    [Fact]
    public async Task LadderFfmpegKilledInALiveWorker_TheFailureIsRetryable_AndANewJobDeliversTheRung()
    {
        await using var rig = await RecordingRig.StartAsync();
        // The workers run ffmpeg through a wrapper that kills the first x264 encode, as the kernel's OOM killer would; the worker
        // itself lives on and reports the failure. Everything else runs the real ffmpeg.
        var wrapper = await X264WrapperAsync(rig, "ffmpeg-killed-once.sh", "mkdir \"$0.killed\" 2>/dev/null && kill -KILL $$");

        // A 30-minute check: only the events can finish this run in time, the failed job's and the new one's.
        await using var service = await ServiceProcess.StartAsync(
            rig.DataDirectory, new Dictionary<string, string> { ["RECORDING_FFMPEG_PATH"] = wrapper }, "Recording:Orchestration:MediaJobCheckInterval=00:30:00");
        using var client = service.Client();
        const string id = "e2e-ffmpeg-kill";
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, thumbnails: false))).StatusCode);
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two uploaded segments");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);

        await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type is RecordingEventTypes.Completed or RecordingEventTypes.Failed), CompletionDeadline, "the recording's end", TimeSpan.FromMilliseconds(500));
        Assert.True(Directory.Exists(wrapper + ".killed"), "the wrapper killed an encode");
        Assert.True(rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), $"completed after the retried job; status: {await RecordingRig.StatusAsync(client, id)}");
        var status = await RecordingRig.CompletedStatusAsync(client, id);
        var retried = Assert.Single(status.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "media-job-retried");
        Assert.Contains("exit code 137", retried.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(status.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "media-job-restarted");
        await AssertRung240DeliveredAsync(rig, status);
    }

    [Fact]
    public async Task TerminatedThenDeleted_TheIdRecordsAgain_InAFreshFolder()
    {
        await using var rig = await RecordingRig.StartAsync();
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory);
        using var client = service.Client();
        const string id = "e2e-reused";
        var folder = Path.Combine(rig.DataDirectory, "recordings", id);
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, ladder: false, thumbnails: false))).StatusCode);
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 1, TimeSpan.FromSeconds(60), "a first segment");
            Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop?mode=terminate", null)).StatusCode);
            // Its capture ends (the terminate stops it) and writes so in its job file.
            await Eventually.UntilAsync(
                async () => File.Exists(Path.Combine(folder, "job.json")) && JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "job.json"))).RootElement.GetProperty("finished").GetBoolean(),
                TimeSpan.FromSeconds(30),
                "the terminated recording's capture to end");
            using (var deleted = await client.DeleteAsync($"api/recordings/{id}"))
            {
                Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            }

            // Its folder (the finished job, the termination marker, what it captured) is kept, aside.
            var aside = Assert.Single(Directory.GetDirectories(Path.Combine(rig.DataDirectory, "recordings", ".deleted"), id + "-*"));
            Assert.True(File.Exists(Path.Combine(aside, Recording.Functions.Jobs.TerminationMarker.FileName)));
            Assert.False(Directory.Exists(folder));

            // The same id again is a new recording that captures: not the old job "re-attached", not stopped by the old marker.
            Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, ladder: false, thumbnails: false))).StatusCode);
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(90), "two segments of the new recording");
            Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);
            await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed of the new recording", TimeSpan.FromMilliseconds(500));
            Assert.Equal("Completed", (await RecordingRig.CompletedStatusAsync(client, id)).GetProperty("runtimeStatus").GetString());
        }
        catch
        {
            output.WriteLine("service:\n" + service.Tail());
            throw;
        }
    }

    [Fact]
    public async Task TerminatedDuringItsLadder_TheLadderJobIsCanceled_AndItsWorkerStopsFfmpeg()
    {
        await using var rig = await RecordingRig.StartAsync();
        // A ladder as slow as a long recording's: the workers' x264 encodes read their input at half speed (-readrate), so the
        // terminate lands while ffmpeg encodes. Everything else runs the real ffmpeg as it is.
        var wrapper = await X264WrapperAsync(rig, "ffmpeg-slow-encodes.sh", "exec ffmpeg -readrate 0.5 \"$@\"");
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory, new Dictionary<string, string> { ["RECORDING_FFMPEG_PATH"] = wrapper });
        using var client = service.Client();
        const string id = "e2e-terminate-ladder";
        var (renditions, worker) = await RecordAndStopUntilTheLadderEncodesAsync(rig, service, client, id);

        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop?mode=terminate", null)).StatusCode);

        // The worker sees the cancel within a second, stops ffmpeg and reports the job canceled rather than leaving it to run.
        var result = await Eventually.WaitForAsync(
            async () => File.Exists(renditions + ".result.json") ? await File.ReadAllTextAsync(renditions + ".result.json") : null,
            TimeSpan.FromSeconds(30),
            "the ladder job's result",
            TimeSpan.FromMilliseconds(200));
        using var written = JsonDocument.Parse(result);
        Assert.False(written.RootElement.GetProperty("succeeded").GetBoolean(), result);
        Assert.Equal("canceled: the recording was terminated", written.RootElement.GetProperty("error").GetString());
        await Eventually.UntilAsync(() => Task.FromResult(ProcessTable.FfmpegsWorkingIn(renditions).Count == 0 && !Directory.Exists($"/proc/{worker}/task")), TimeSpan.FromSeconds(15), "the ladder's ffmpeg and its worker to exit");
        Assert.Equal("Terminated", (await RecordingRig.StatusAsync(client, id)).GetProperty("runtimeStatus").GetString());
        Assert.DoesNotContain(rig.Events(id), e => e.Type == RecordingEventTypes.Completed);
    }

    [Fact]
    public async Task LadderPastItsTimeout_IsCanceled_ItsWorkerStopsFfmpeg_AndTheRecordingFailsKeepingItsSegments()
    {
        await using var rig = await RecordingRig.StartAsync();
        // The shortest allowed timeout (1 minute) against a ladder that would take minutes: the workers' x264 encodes read their
        // input at a twentieth of real time. The checks every 5 s find the deadline passed soon after it does.
        var wrapper = await X264WrapperAsync(rig, "ffmpeg-stalled-encodes.sh", "exec ffmpeg -readrate 0.05 \"$@\"");
        await using var service = await ServiceProcess.StartAsync(
            rig.DataDirectory,
            new Dictionary<string, string> { ["RECORDING_FFMPEG_PATH"] = wrapper },
            "Recording:Orchestration:MediaJobTimeout=00:01:00",
            "Recording:Orchestration:MediaJobCheckInterval=00:00:05");
        using var client = service.Client();
        const string id = "e2e-ladder-timeout";
        var (renditions, worker) = await RecordAndStopUntilTheLadderEncodesAsync(rig, service, client, id);

        try
        {
            await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Failed), TimeSpan.FromSeconds(120), "recording.failed after the ladder's timeout", TimeSpan.FromMilliseconds(500));
            var status = await RecordingRig.StatusOnceAsync(client, id, "Failed");
            output.WriteLine(status.GetRawText());
            Assert.Equal("Failed", status.GetProperty("runtimeStatus").GetString());
            var errors = status.GetProperty("errors").EnumerateArray().ToList();
            var canceled = Assert.Single(errors, e => e.GetProperty("code").GetString() == "media-job-canceled");
            Assert.Equal("The ladder job was canceled (it ran longer than 00:01:00); its worker ended it: canceled: it ran longer than 00:01:00", canceled.GetProperty("message").GetString());
            var failed = Assert.Single(errors, e => e.GetProperty("code").GetString() == "post-processing-failed");
            Assert.Contains("in the ladder job (it ran longer than 00:01:00)", failed.GetProperty("message").GetString(), StringComparison.Ordinal);

            // The job's own result says canceled, and neither its ffmpeg nor its worker encodes on for nobody.
            using (var written = JsonDocument.Parse(await File.ReadAllTextAsync(renditions + ".result.json")))
            {
                Assert.Equal("canceled: it ran longer than 00:01:00", written.RootElement.GetProperty("error").GetString());
            }

            await Eventually.UntilAsync(() => Task.FromResult(ProcessTable.FfmpegsWorkingIn(renditions).Count == 0 && !Directory.Exists($"/proc/{worker}/task")), TimeSpan.FromSeconds(15), "the ladder's ffmpeg and its worker to exit");

            // Nothing recorded is lost: every segment is in the bucket, whole.
            Assert.True(status.GetProperty("segments").GetArrayLength() >= 2, "two segments or more");
            await RecordingAssertions.SegmentsStoredWholeAsync(rig, status);
            Assert.DoesNotContain(rig.Events(id), e => e.Type == RecordingEventTypes.Completed);
        }
        catch
        {
            output.WriteLine("service:\n" + service.Tail());
            throw;
        }
    }

    [Fact]
    public async Task HevcSourceOverSrt_IsSplicedByCopy_AndItsHlsVodIsReEncodedToH264ByAMediaJob()
    {
        await using var rig = await RecordingRig.StartAsync();
        var port = FreePort.Next();
        await using var hevc = SyntheticSource.Start($"srt://127.0.0.1:{port}?mode=listener", new SyntheticSourceOptions { Muxer = "mpegts", VideoEncoder = "libx265" });
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory);
        using var client = service.Client();
        const string id = "e2e-hevc";
        var body = rig.StartBody(id, hls: true, ladder: false, thumbnails: false);
        body["source"] = $"srt://127.0.0.1:{port}?mode=caller&latency=200000";
        var started = await RecordingRig.PostAsync(client, "api/recordings", body);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 3, TimeSpan.FromSeconds(60), "three HEVC segments");

        // Nothing is re-encoded while recording: an H.264 source would have its first pieces of the VOD in the bucket by now.
        using var bucket = await rig.BucketAsync();
        var firstSegmentKey = (await RecordingRig.StatusAsync(client, id)).GetProperty("segments")[0].GetProperty("key").GetString()!;
        var hlsPrefix = firstSegmentKey[..firstSegmentKey.IndexOf("/segments/", StringComparison.Ordinal)] + "/hls/";
        Assert.Empty(await bucket.ListAsync(hlsPrefix).ToListAsync());
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);
        await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type is RecordingEventTypes.Completed or RecordingEventTypes.Failed), CompletionDeadline, "the recording's end", TimeSpan.FromMilliseconds(500));
        Assert.True(rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), $"completed; status: {await RecordingRig.StatusAsync(client, id)}\nservice: {service.Tail()}");

        var status = await RecordingRig.CompletedStatusAsync(client, id);
        var recorded = TimeSpan.FromTicks(status.GetProperty("segments").EnumerateArray().Sum(s => TimeSpan.Parse(s.GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Ticks));
        var assets = status.GetProperty("assets").EnumerateArray().ToList();
        JsonElement Asset(string kind) => assets.Single(a => a.GetProperty("kind").GetString() == kind);
        var work = Directory.CreateTempSubdirectory("e2e-hevc-").FullName;

        // The splice copies HEVC as it came (appended while recording), so it has no note.
        var splicedPath = Path.Combine(work, "spliced.mp4");
        await bucket.DownloadToFileAsync(Asset("spliced").GetProperty("key").GetString()!, splicedPath);
        Assert.Equal("hevc", (await RecordingRig.ProbeAsync(splicedPath)).Streams.VideoCodec);
        Assert.False(Asset("spliced").TryGetProperty("note", out _));

        // The VOD is H.264 for every player: re-encoded by a media job after the stop, never segment by segment in an activity.
        var hls = Asset("hls");
        Assert.Contains("video re-encoded: hevc is not H.264", hls.GetProperty("note").GetString(), StringComparison.Ordinal);
        var hlsKey = hls.GetProperty("key").GetString()!;
        var folder = await RecordingRig.DownloadAsync(bucket, hlsKey[..hlsKey.LastIndexOf('/')], Path.Combine(work, "hls"));
        var vod = await RecordingRig.ProbeAsync(Path.Combine(folder, "index.m3u8"));
        Assert.Equal("h264", vod.Streams.VideoCodec);
        Assert.True(Math.Abs((vod.Duration - recorded).TotalSeconds) <= 1.5, $"HLS VOD {vod.Duration} against the segments' {recorded}");
        Assert.All(Directory.GetFiles(folder, "*.ts"), ts => Assert.StartsWith("segment", Path.GetFileName(ts), StringComparison.Ordinal));
        Assert.Empty(status.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task StartedByAnEventGridEvent_AndStoppedByACloudEvent_TheRecordingCompletes()
    {
        await using var rig = await RecordingRig.StartAsync();
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory);
        using var client = service.Client();
        // What an application's Event Grid topic delivers to /api/events: no recording id, so the recording takes the event's.
        var data = rig.StartBody("unused", hls: false, ladder: false, thumbnails: false);
        data.Remove("id");
        var start = new JsonArray(new JsonObject
        {
            ["id"] = "e2e-event-start",
            ["subject"] = "rooms/1",
            ["eventType"] = "Recording.Start",
            ["eventTime"] = "2026-11-30T10:00:00Z",
            ["dataVersion"] = "1",
            ["data"] = data,
        });
        using var started = await RecordingRig.PostAsync(client, "api/events", start);
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, "e2e-event-start")).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two segments");

        var stop = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = "e2e-event-stop",
            ["source"] = "/rooms/1",
            ["type"] = "Recording.Stop",
            ["data"] = new JsonObject { ["id"] = "e2e-event-start" },
        };
        using var stopped = await RecordingRig.PostAsync(client, "api/events", stop);
        Assert.Equal("stop-requested", JsonDocument.Parse(await stopped.Content.ReadAsStringAsync()).RootElement.GetProperty("events")[0].GetProperty("outcome").GetString());

        await Eventually.UntilAsync(() => rig.Events("e2e-event-start").Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed", TimeSpan.FromMilliseconds(500));
        var status = await RecordingRig.CompletedStatusAsync(client, "e2e-event-start");
        var splicedKey = status.GetProperty("assets").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "spliced").GetProperty("key").GetString()!;
        using var bucket = await rig.BucketAsync();
        var spliced = Path.Combine(Directory.CreateTempSubdirectory("e2e-event-").FullName, "spliced.mp4");
        await bucket.DownloadToFileAsync(splicedKey, spliced);
        Assert.True((await RecordingRig.ProbeAsync(spliced)).Duration >= TimeSpan.FromSeconds(9), "the spliced file covers the two segments");
    }

    [Fact]
    public async Task ServiceKilledMidRecording_RestartsReattachesAndCompletesOnceWithNoSegmentMissing()
    {
        await using var rig = await RecordingRig.StartAsync();
        const string id = "e2e-crash";
        var service = await ServiceProcess.StartAsync(rig.DataDirectory);
        try
        {
            using (var client = service.Client())
            {
                Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, ladder: false, thumbnails: false))).StatusCode);
                await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two uploaded segments");
            }

            await service.CrashAsync();
        }
        finally
        {
            await service.DisposeAsync();
        }

        await using var restarted = await ServiceProcess.StartAsync(rig.DataDirectory);
        using var again = restarted.Client();
        // An activity the killed service had locked (say a notification the orchestrator awaits) runs again only when its lock
        // expires (DurableWorkerOptions.ActivityLockDuration, 1 minute), so progress may resume a minute after the restart.
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(again, id)).GetProperty("segments").GetArrayLength() >= 4, TimeSpan.FromSeconds(150), "segments after the restart");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(again, $"api/recordings/{id}/stop", null)).StatusCode);
        await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed after the restart", TimeSpan.FromMilliseconds(500));

        JsonElement? status = await RecordingRig.CompletedStatusAsync(again, id);
        var segments = status!.Value.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, segments.Count), segments.Select(s => s.GetProperty("index").GetInt32()));
        Assert.Single(rig.Events(id).Where(e => e.Type == RecordingEventTypes.Completed).Select(e => e.WebhookId).Distinct());

        using var bucket = await rig.BucketAsync();
        foreach (var segment in segments)
        {
            var stored = await bucket.HeadAsync(segment.GetProperty("key").GetString()!);
            Assert.NotNull(stored);
            Assert.Equal(segment.GetProperty("sizeBytes").GetInt64(), stored.Size);
        }

        // Every segment the worker closed (its manifest is the truth) is in the recording.
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(rig.DataDirectory, "recordings", id, "capture", "manifest.json")));
        Assert.Equal(manifest.RootElement.GetProperty("segments").GetArrayLength(), segments.Count);
    }

    [Fact]
    public async Task SourceChangesResolutionMidRecording_SplicesByAMediaJobThatReEncodes_AndMarksAnHlsDiscontinuity()
    {
        await using var rig = await RecordingRig.StartAsync();
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory);
        using var client = service.Client();
        const string id = "e2e-resize";
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: true, ladder: false))).StatusCode);
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two 320x240 segments");

        // The encoder is replaced at once by one at another size, as an encoder restart does. nginx-rtmp hands the connected
        // capture to the new publisher; the capture sees the timeline go back and reconnects, so the new size gets segments
        // of its own, which cannot be appended to the spliced file by copy.
        rig.Source.Kill();
        await using var wider = SyntheticSource.Start(rig.SourceUrl, new SyntheticSourceOptions { Width = 640, Height = 360 });
        var before = (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength();
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= before + 2, TimeSpan.FromSeconds(60), "two 640x360 segments");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);
        try
        {
            await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed", TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nstatus: {await RecordingRig.StatusAsync(client, id)}\nservice: {service.Tail()}", e);
        }

        var status = await RecordingRig.CompletedStatusAsync(client, id);
        var segments = status.GetProperty("segments").EnumerateArray().ToList();
        var recorded = TimeSpan.FromTicks(segments.Sum(s => TimeSpan.Parse(s.GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Ticks));
        var assets = status.GetProperty("assets").EnumerateArray().ToList();
        string Asset(string kind) => assets.Single(a => a.GetProperty("kind").GetString() == kind).GetProperty("key").GetString()!;
        using var bucket = await rig.BucketAsync();
        var work = Directory.CreateTempSubdirectory("e2e-resize-").FullName;

        var splicedPath = Path.Combine(work, "spliced.mp4");
        await bucket.DownloadToFileAsync(Asset("spliced"), splicedPath);
        var spliced = await RecordingRig.ProbeAsync(splicedPath);
        Assert.Equal(240, spliced.Streams.Height); // the classic splice re-encodes the odd segments to the first one's size
        // ... in a media job, whose result the asset reports (a splice by copy in an activity has no note).
        var note = assets.Single(a => a.GetProperty("kind").GetString() == "spliced").GetProperty("note").GetString();
        Assert.Contains("video re-encoded: resolution 320x240 vs 640x360", note, StringComparison.Ordinal);
        Assert.True(Math.Abs((spliced.Duration - recorded).TotalSeconds) <= 1.5, $"spliced {spliced.Duration} against the segments' {recorded}");
        Assert.True((await File.ReadAllBytesAsync(splicedPath)).AsSpan().IndexOf("moof"u8) < 0, "made after the stop as a faststart MP4, not appended as fragments");

        var hlsKey = Asset("hls");
        var hls = await RecordingRig.DownloadAsync(bucket, hlsKey[..hlsKey.LastIndexOf('/')], Path.Combine(work, "hls"));
        var playlist = await File.ReadAllTextAsync(Path.Combine(hls, "index.m3u8"));
        Assert.Contains("#EXT-X-DISCONTINUITY", playlist, StringComparison.Ordinal);
        var vod = await RecordingRig.ProbeAsync(Path.Combine(hls, "index.m3u8"));
        Assert.True(Math.Abs((vod.Duration - recorded).TotalSeconds) <= 1.5, $"HLS VOD {vod.Duration} against the segments' {recorded}");
        Assert.Empty(status.GetProperty("errors").EnumerateArray());
    }

    /// <summary>The 240p rung in the bucket: 240 lines high and as long as the recording (at least its two 5 s segments).</summary>
    private static async Task AssertRung240DeliveredAsync(RecordingRig rig, JsonElement status)
    {
        var rungKey = status.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("key").GetString()!).Single(k => k.EndsWith("/renditions/240p/240p.mp4", StringComparison.Ordinal));
        using var bucket = await rig.BucketAsync();
        var rung = Path.Combine(Directory.CreateTempSubdirectory("e2e-rung-").FullName, "240p.mp4");
        await bucket.DownloadToFileAsync(rungKey, rung);
        var probed = await RecordingRig.ProbeAsync(rung);
        Assert.Equal(240, probed.Streams.Height);
        Assert.True(probed.Duration >= TimeSpan.FromSeconds(9), $"the rung covers the recording: {probed.Duration}");
    }

    /// <summary>
    /// Records <paramref name="id"/> (ladder only) for two segments, stops it, and returns once the ladder's ffmpeg runs: its
    /// output folder and its media worker's process id.
    /// </summary>
    private static async Task<(string Renditions, int Worker)> RecordAndStopUntilTheLadderEncodesAsync(RecordingRig rig, ServiceProcess service, HttpClient client, string id)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, thumbnails: false))).StatusCode);
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two uploaded segments");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);
        var renditions = Path.Combine(rig.DataDirectory, "recordings", id, "post", "renditions");
        await Eventually.UntilAsync(() => Task.FromResult(ProcessTable.FfmpegsWorkingIn(renditions).Count > 0), TimeSpan.FromSeconds(60), "the ladder's ffmpeg", TimeSpan.FromMilliseconds(100));
        return (renditions, await MediaWorkerProcess.FindAsync(service.Id, id));
    }

    /// <summary>
    /// A fault-injecting ffmpeg for the workers (RECORDING_FFMPEG_PATH): runs <paramref name="onX264"/> (shell) for a command
    /// that encodes with libx264, and the real ffmpeg, unchanged, for everything else.
    /// </summary>
    private static Task<string> X264WrapperAsync(RecordingRig rig, string name, string onX264)
        => ExecutableScript.WriteAsync(Path.Combine(rig.DataDirectory, name), $"#!/bin/sh\ncase \" $* \" in *\" libx264 \"*) {onX264} ;; esac\nexec ffmpeg \"$@\"\n");
}
