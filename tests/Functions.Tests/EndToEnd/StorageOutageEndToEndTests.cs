using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration;
using Recording.Media.Manifest;
using Recording.Storage.Destinations;
using Recording.TestSupport;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// The bucket goes away in the middle of a recording (issue 6: "s3rver stopped for 20 s during a recording: nothing is lost;
/// uploads catch up when it returns"). The service runs with its default upload retry policy, the one users get.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class StorageOutageEndToEndTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CompletionDeadline = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task BucketDownFor20SecondsMidRecording_CaptureGoesOn_UploadsCatchUp_NothingIsLost()
    {
        await using var rig = await RecordingRig.StartAsync();
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory);
        using var client = service.Client();
        const string id = "e2e-outage";
        var captureFolder = Path.Combine(rig.DataDirectory, "recordings", id, "capture");

        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, ladder: false, thumbnails: false))).StatusCode);
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two uploaded segments");

        await rig.S3.StopAsync();
        // The worker writes its manifest before it reports a segment, so a segment missing from the manifest now has not
        // been handed to an upload yet, and no upload can succeed until the bucket is back.
        var closedBeforeOutage = (await ManifestFile.ReadAsync(captureFolder)).Segments.Count;
        // The outage lasts a fixed time (the scenario, not a wait for something); the status is checked throughout it.
        var outageEnds = DateTime.UtcNow + Outage;
        while (DateTime.UtcNow < outageEnds)
        {
            var during = await RecordingRig.StatusAsync(client, id);
            Assert.Equal("Running", during.GetProperty("runtimeStatus").GetString());
            Assert.DoesNotContain(Indexes(during), index => index >= closedBeforeOutage);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var closedDuringOutage = (await ManifestFile.ReadAsync(captureFolder)).Segments.Select(s => s.Index).Where(index => index >= closedBeforeOutage).ToList();
        // 20 s of 5 s segments: the capture went on and the uploads of these are pending.
        Assert.True(closedDuringOutage.Count >= 2, $"segments closed during the outage: {closedDuringOutage.Count}");
        var beforeRestart = await RecordingRig.StatusAsync(client, id);
        Assert.Equal(RecordingPhases.Recording, beforeRestart.GetProperty("phase").GetString());
        Assert.Empty(beforeRestart.GetProperty("errors").EnumerateArray());

        await rig.S3.RestartAsync();
        var caughtUp = closedDuringOutage[^1] + 2;
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= caughtUp, TimeSpan.FromSeconds(120), $"uploads to catch up ({caughtUp} segments)");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);
        await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed at the webhook", TimeSpan.FromMilliseconds(500));

        var status = await RecordingRig.CompletedStatusAsync(client, id);
        var events = rig.Events(id);
        Assert.Single(events.Where(e => e.Type == RecordingEventTypes.Completed).Select(e => e.WebhookId).Distinct());
        Assert.DoesNotContain(events, e => e.Type == RecordingEventTypes.Failed);
        Assert.Empty(status.GetProperty("errors").EnumerateArray());

        var segments = status.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, segments.Count), Indexes(status));
        Assert.Subset(Indexes(status).ToHashSet(), closedDuringOutage.ToHashSet());

        // The worker's manifest is the truth of what was recorded: every segment in it is in the bucket, byte for byte.
        var manifest = await ManifestFile.ReadAsync(captureFolder);
        Assert.Equal(manifest.Segments.Select(s => s.Index), Indexes(status));
        using var bucket = await rig.BucketAsync();
        var work = Directory.CreateTempSubdirectory("e2e-outage-").FullName;
        try
        {
            foreach (var (recorded, reported) in manifest.Segments.Zip(segments))
            {
                var key = reported.GetProperty("key").GetString()!;
                var local = Path.Combine(work, Path.GetFileName(key));
                await bucket.DownloadToFileAsync(key, local);
                Assert.Equal(recorded.Bytes, new FileInfo(local).Length);
                Assert.Equal(recorded.Bytes, reported.GetProperty("sizeBytes").GetInt64());
                Assert.Equal(recorded.Sha256, await Sha256Async(local));
            }

            var span = segments[^1].GetProperty("endedAt").GetDateTimeOffset() - segments[0].GetProperty("startedAt").GetDateTimeOffset();
            var splicedKey = status.GetProperty("assets").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "spliced").GetProperty("key").GetString()!;
            var splicedPath = Path.Combine(work, "spliced.mp4");
            await bucket.DownloadToFileAsync(splicedKey, splicedPath);
            var spliced = await RecordingRig.ProbeAsync(splicedPath);
            Assert.True(Math.Abs((spliced.Duration - span).TotalSeconds) <= 1.5, $"spliced {spliced.Duration} against the wall-clock span {span}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        // Local segments go only after their confirmed upload and after the splice used them.
        Assert.Empty(Directory.EnumerateFiles(captureFolder, "segment_*"));
    }

    [Fact]
    public async Task StopWhileTheBucketIsDown_EndsTheCaptureAtOnce_AndTheUploadsStillGoIn()
    {
        await using var rig = await RecordingRig.StartAsync();
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory);
        using var client = service.Client();
        const string id = "e2e-outage-stop";
        var captureFolder = Path.Combine(rig.DataDirectory, "recordings", id, "capture");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id, hls: false, ladder: false, thumbnails: false))).StatusCode);
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 1, TimeSpan.FromSeconds(60), "an uploaded segment");

        await rig.S3.StopAsync();
        // A segment closed during the outage puts an upload into its retries; the stop must not wait behind it.
        await Eventually.UntilAsync(async () => (await ManifestFile.ReadAsync(captureFolder)).Segments.Count > (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength(), TimeSpan.FromSeconds(30), "a segment whose upload is retrying");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);

        // The worker ends (its manifest records the stop) while the bucket is still down.
        await Eventually.UntilAsync(async () => (await ManifestFile.ReadAsync(captureFolder)).ExitReason == Media.Capture.CaptureExitReason.Stopped, TimeSpan.FromSeconds(30), "the capture to end on the stop");
        Assert.False(rig.S3.IsRunning);
        Assert.Equal(RecordingPhases.Stopping, (await RecordingRig.StatusAsync(client, id)).GetProperty("phase").GetString());

        await rig.S3.RestartAsync();
        await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed at the webhook", TimeSpan.FromMilliseconds(500));
        var status = await RecordingRig.CompletedStatusAsync(client, id);
        var manifest = await ManifestFile.ReadAsync(captureFolder);
        Assert.Equal(manifest.Segments.Select(s => s.Index), Indexes(status));
        using var bucket = await rig.BucketAsync();
        foreach (var (recorded, reported) in manifest.Segments.Zip(status.GetProperty("segments").EnumerateArray()))
        {
            Assert.Equal(recorded.Bytes, (await bucket.HeadAsync(reported.GetProperty("key").GetString()!))?.Size);
        }
    }

    private static List<int> Indexes(JsonElement status) =>
        status.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("index").GetInt32()).ToList();

    private static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }
}
