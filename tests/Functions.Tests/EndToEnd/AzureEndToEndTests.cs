using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Recording.Functions.Jobs;
using Recording.Functions.Notifications;
using Recording.Functions.Tests.Jobs;
using Recording.Storage.Destinations;
using Recording.TestSupport;
using Xunit.Abstractions;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// The main end-to-end run on the Azure parts, with Azurite standing in for the storage account: the durable engine on its
/// Azure Storage backend (queues, tables, blobs) and capture as the queue-driven job, the worker's <c>job</c> command serving
/// the job-start queue as the Container Apps job does, and its <c>media-job</c> command serving the media queue, on the folder the service shares with it (an Azure Files mount in Azure).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AzureEndToEndTests(ITestOutputHelper output)
{
    private const string TaskHub = "recording";

    [Fact]
    public async Task StartRecordStop_OnTheAzureStorageEngineAndQueueJob_DeliversSegmentsSplicedHlsAndLadder_AndSignedEvents()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var rig = await RecordingRig.StartAsync();
        var (queueOptions, queues) = await QueuesAsync(azurite);
        await using var job = StartCaptureJob(azurite, rig, queueOptions);
        await using var mediaJob = StartMediaJob(azurite, rig, queueOptions);
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory, ServiceSettings(azurite));
        using var client = service.Client();
        const string id = "e2e-azure";

        try
        {
            var status = await RecordingAssertions.StartRecordAndStopAsync(rig, client, id);
            await RecordingAssertions.DeliveredAsync(rig, id, status);
        }
        catch
        {
            output.WriteLine("service:\n" + service.Tail() + "\njob:\n" + job.Tail(80) + "\nmedia job:\n" + mediaJob.Tail(40));
            throw;
        }

        // It ran on the Azure parts: the orchestration lives in the task hub's tables, and nothing was written to a SQLite engine
        // file (the SQLite backend writes its schema the moment it opens one).
        var instance = await new TableServiceClient(azurite.ConnectionString).GetTableClient(TaskHub + "Instances").GetEntityAsync<TableEntity>(id, "");
        Assert.Equal("Completed", instance.Value.GetString("RuntimeStatus"));
        var sqliteEngine = new FileInfo(Path.Combine(rig.DataDirectory, "engine.db"));
        Assert.Equal(0, sqliteEngine.Exists ? sqliteEngine.Length : 0);

        // So did the service's own state: the webhook deliveries are logged in the task hub's Deliveries table, and the API reads them there.
        var logged = new List<TableEntity>();
        await foreach (var row in new TableServiceClient(azurite.ConnectionString).GetTableClient(TaskHub + "Deliveries").QueryAsync<TableEntity>(r => r.PartitionKey == id))
        {
            logged.Add(row);
        }

        Assert.Contains(logged, row => row.GetString("EventType") == "recording.completed" && row.GetString("Outcome") == "Delivered");
        using (var deliveries = JsonDocument.Parse(await client.GetStringAsync($"api/recordings/{id}/notifications")))
        {
            Assert.Equal(logged.Count, deliveries.RootElement.GetProperty("deliveries").GetArrayLength());
        }

        // The job captured this recording, then cleared up after itself: start message deleted (only after its exited event was
        // sent), control queue removed, nothing set aside as poison.
        Assert.Contains(job.Lines, line => line.Contains("segment-ready", StringComparison.Ordinal) && line.Contains(id, StringComparison.Ordinal));
        await Eventually.UntilAsync(async () => await MessagesAsync(queues, queueOptions.StartQueueName) == 0, TimeSpan.FromSeconds(30), "the start message to be deleted");
        await Eventually.UntilAsync(async () => !await AnyQueueAsync(queues, queueOptions.ControlQueuePrefix), TimeSpan.FromSeconds(30), "the control queue to be removed");
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.StartQueueName + "-poison"));
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.PoisonQueueName));
        // The ladder and the thumbnails ran in the media job, whose messages are gone once their results were written.
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.MediaQueueName));
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.MediaQueueName + "-poison"));
        Assert.Contains($"{id}:ladder", mediaJob.Transcript, StringComparison.Ordinal);
        Assert.Contains($"{id}:thumbnails", mediaJob.Transcript, StringComparison.Ordinal);

        // The connection string carries the account key: neither process may print it.
        Assert.DoesNotContain(AzuriteServer.AccountKey, service.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteServer.AccountKey, job.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteServer.AccountKey, mediaJob.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollingUpgradeMidRecording_TheNewBuildCarriesTheOldRecordingOn_AndTheOldBuildLeavesTheNewRecordingAlone()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var rig = await RecordingRig.StartAsync();
        var (queueOptions, _) = await QueuesAsync(azurite);
        await using var job = StartCaptureJob(azurite, rig, queueOptions);
        await using var secondJob = StartCaptureJob(azurite, rig, queueOptions);
        await using var mediaJob = StartMediaJob(azurite, rig, queueOptions);
        // Each episode the engine commits is logged at Debug with the instance's version: the old build's log shows what it ran.
        string[] Build(string version) => [.. ServiceSettings(azurite), $"Recording:Engine:DefaultVersion={version}", "Logging:LogLevel:Recording.Durable=Debug"];
        // The upgrade from this build to the next: the old build's recordings run this code's current steps, as they would.
        const string oldVersion = Orchestration.OrchestratorCodeVersion.Current;
        var newVersion = (int.Parse(oldVersion, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var first = await ServiceProcess.StartAsync(rig.DataDirectory, Build(oldVersion));
        const string id = "e2e-moved";
        const string upgradedId = "e2e-upgraded";

        try
        {
            using (var client = first.Client())
            {
                Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id))).StatusCode);
                await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two uploaded segments");
            }

            // The platform rolls a new build out, as on any Elastic Premium deployment: the next instance, of the next orchestrator version,
            // starts on the same task hub, tables and share, both run a while, then the old one is shut down. A recording started
            // meanwhile through the new build is of that version, which the old build must not replay.
            await using var next = await ServiceProcess.StartAsync(rig.DataDirectory, Build(newVersion));
            using var nextClient = next.Client();
            Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(nextClient, "api/recordings", rig.StartBody(upgradedId))).StatusCode);
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(nextClient, upgradedId)).GetProperty("segments").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "two segments of the upgraded recording, both builds running");
            await first.ShutDownAsync();
            var before = (await RecordingRig.StatusAsync(nextClient, id)).GetProperty("segments").GetArrayLength();
            // At least two more, and five in all: the checks below want about 25 s of video.
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(nextClient, id)).GetProperty("segments").GetArrayLength() >= Math.Max(before + 2, 5), TimeSpan.FromSeconds(120), "more segments, handled by the next instance");
            Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(nextClient, $"api/recordings/{id}/stop", null)).StatusCode);
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(nextClient, upgradedId)).GetProperty("segments").GetArrayLength() >= 5, TimeSpan.FromSeconds(120), "five segments of the upgraded recording");
            Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(nextClient, $"api/recordings/{upgradedId}/stop", null)).StatusCode);
            var versions = new Dictionary<string, string?>();
            foreach (var recording in new[] { id, upgradedId })
            {
                await Eventually.UntilAsync(() => rig.Events(recording).Any(e => e.Type == RecordingEventTypes.Completed), TimeSpan.FromSeconds(150), $"recording.completed of {recording} at the webhook", TimeSpan.FromMilliseconds(500));
                var status = await RecordingRig.CompletedStatusAsync(nextClient, recording);
                await RecordingAssertions.DeliveredAsync(rig, recording, status);
                versions[recording] = status.GetProperty("orchestrationVersion").GetString();
            }

            // The post-processing ran after the old build had gone: the new one queued the ladder job.
            Assert.Contains($"{id}:ladder", next.Transcript, StringComparison.Ordinal);
            Assert.DoesNotContain($"{id}:ladder", first.Transcript, StringComparison.Ordinal);

            // Each recording kept the version it started with, through its ContinueAsNew every two segments: the new build carried
            // the old version on; the old build ran episodes of its own recording and none of the new one's, whichever of its
            // messages it came upon first (those it left are logged as such).
            Assert.Equal(oldVersion, versions[id]);
            Assert.Equal(newVersion, versions[upgradedId]);
            Assert.Contains($"Committed an episode of orchestration {id} (version {oldVersion})", first.Transcript, StringComparison.Ordinal);
            Assert.DoesNotContain($"Committed an episode of orchestration {upgradedId} ", first.Transcript, StringComparison.Ordinal);
            var left = first.Transcript.Split('\n').Count(line => line.Contains($"Left orchestration {upgradedId} for another worker", StringComparison.Ordinal));
            output.WriteLine($"the old build left {upgradedId}'s messages {left} times");
        }
        catch
        {
            output.WriteLine("first:\n" + first.Tail() + "\njob:\n" + job.Tail(40) + "\nsecond job:\n" + secondJob.Tail(40) + "\nmedia job:\n" + mediaJob.Tail(20));
            throw;
        }
    }

    [Fact]
    public async Task TwoServiceInstancesSideBySide_ShareTheRecordings_EachCompletesOnce_AndTheRoomsCompositionIsWokenByTheirEnds()
    {
        // Two instances on one task hub, tables and share the whole time, as a scale-out of the app would run them, with three
        // recordings at once: each started through one instance, read through both, stopped through the other; and a
        // composition of two of them asked for as the room ends.
        await using var azurite = await AzuriteServer.StartAsync();
        await using var rig = await RecordingRig.StartAsync();
        var (queueOptions, _) = await QueuesAsync(azurite);
        string[] ids = ["e2e-side-0", "e2e-side-1", "e2e-side-2"];
        // One capture job execution per recording, as the Container Apps job starts one per start message.
        var captureJobs = new List<ManagedProcess>();
        await using var mediaJob = StartMediaJob(azurite, rig, queueOptions);
        // A composition of two of the recordings pauses an hour after its first check: only their ends can wake it in time.
        string[] settings = [.. ServiceSettings(azurite), "Recording:Orchestration:CompositionFirstCheckPause=01:00:00"];
        await using var first = await ServiceProcess.StartAsync(rig.DataDirectory, settings);
        await using var second = await ServiceProcess.StartAsync(rig.DataDirectory, settings);
        ServiceProcess[] instances = [first, second];
        using var firstClient = first.Client();
        using var secondClient = second.Client();
        HttpClient[] clients = [firstClient, secondClient];

        try
        {
            foreach (var _ in ids)
            {
                captureJobs.Add(StartCaptureJob(azurite, rig, queueOptions));
            }

            for (var i = 0; i < ids.Length; i++)
            {
                using var started = await RecordingRig.PostAsync(clients[i % 2], "api/recordings", rig.StartBody(ids[i], hls: false, thumbnails: false));
                Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            }

            foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            {
                var other = clients[(i + 1) % 2];
                await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(other, id)).GetProperty("segments").GetArrayLength() >= 3, TimeSpan.FromSeconds(90), $"three segments of {id}, read through the other instance");
            }

            for (var i = 0; i < ids.Length; i++)
            {
                using var stopped = await RecordingRig.PostAsync(clients[(i + 1) % 2], $"api/recordings/{ids[i]}/stop", null);
                Assert.Equal(HttpStatusCode.Accepted, stopped.StatusCode);
            }

            // The room ends: composed the moment it does, through the second instance, from two recordings still finishing.
            const string compositionId = "e2e-side-room";
            var composition = new JsonObject
            {
                ["id"] = compositionId,
                ["tracks"] = new JsonArray(
                    new JsonObject { ["recordingId"] = ids[0], ["participant"] = "Alice" },
                    new JsonObject { ["recordingId"] = ids[1], ["participant"] = "Bob" }),
                ["size"] = "640x360",
            };
            using (var composing = await RecordingRig.PostAsync(secondClient, "api/compositions", composition))
            {
                Assert.Equal(HttpStatusCode.Accepted, composing.StatusCode);
            }

            foreach (var id in ids)
            {
                await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), TimeSpan.FromSeconds(180), $"recording.completed of {id}", TimeSpan.FromMilliseconds(500));
            }

            using var bucket = await rig.BucketAsync();
            foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            {
                // Both instances give the same completed status; its events, segments and assets are whole.
                var status = await RecordingRig.CompletedStatusAsync(clients[i % 2], id);
                Assert.Equal(status.GetProperty("segments").GetRawText(), (await RecordingRig.CompletedStatusAsync(clients[(i + 1) % 2], id)).GetProperty("segments").GetRawText());
                Assert.True(status.GetProperty("segments").GetArrayLength() >= 3, $"{id}: {status.GetProperty("segments").GetArrayLength()} segments");
                RecordingAssertions.EventsAgreeWithStatus(rig, id, status);
                var stored = await RecordingAssertions.SegmentsStoredWholeAsync(rig, status);
                var assets = status.GetProperty("assets").EnumerateArray().Select(a => (Kind: a.GetProperty("kind").GetString(), Key: a.GetProperty("key").GetString()!)).ToList();
                Assert.Contains(assets, a => a.Kind == "spliced" && stored.ContainsKey(a.Key));
                var rungKey = Assert.Single(assets, a => a.Kind == "renditions/240p" && a.Key.EndsWith("240p.mp4", StringComparison.Ordinal)).Key;
                var rungPath = Path.Combine(rig.DataDirectory, $"{id}-240p.mp4");
                await bucket.DownloadToFileAsync(rungKey, rungPath);
                Assert.Equal(240, (await RecordingRig.ProbeAsync(rungPath)).Streams.Height);
            }

            // Woken by the recordings' ends (its pause is an hour), composed by the media job, and in the bucket.
            var composed = await RecordingRig.EndedCompositionAsync(firstClient, compositionId, TimeSpan.FromSeconds(120));
            Assert.True(composed.GetProperty("runtimeStatus").GetString() == "Completed", composed.GetRawText());
            var compositeKey = Assert.Single(composed.GetProperty("assets").EnumerateArray(), a => a.GetProperty("kind").GetString() == "composite").GetProperty("key").GetString()!;
            var compositePath = Path.Combine(rig.DataDirectory, "composite.mp4");
            await bucket.DownloadToFileAsync(compositeKey, compositePath);
            var probed = await RecordingRig.ProbeAsync(compositePath);
            Assert.Equal((640, 360), (probed.Streams.Width, probed.Streams.Height));

            // How the work fell: which instance queued each capture and ladder job (the activity ran there), and which ended each orchestration.
            foreach (var instance in instances)
            {
                var worked = instance.Transcript.Split('\n').Where(l => l.Contains(" queued as message ", StringComparison.Ordinal) || l.Contains(" ended: ", StringComparison.Ordinal)).ToList();
                output.WriteLine($"instance {Array.IndexOf(instances, instance)}: {worked.Count} lines\n  " + string.Join("\n  ", worked.Select(l => l.Trim())));
            }
        }
        catch
        {
            output.WriteLine("first:\n" + first.Tail() + "\nsecond:\n" + second.Tail() + "\nmedia job:\n" + mediaJob.Tail(20));
            throw;
        }
        finally
        {
            foreach (var job in captureJobs)
            {
                await job.DisposeAsync();
            }
        }
    }

    private static async Task<(QueueCaptureJobOptions Options, QueueServiceClient Queues)> QueuesAsync(AzuriteServer azurite)
    {
        var options = new QueueCaptureJobOptions { ConnectionString = azurite.ConnectionString };
        var queues = options.CreateServiceClient();
        // Created here so that the jobs' first polls find them; the service creates them too, with its first start.
        await queues.GetQueueClient(options.StartQueueName).CreateIfNotExistsAsync();
        await queues.GetQueueClient(options.MediaQueueName).CreateIfNotExistsAsync();
        return (options, queues);
    }

    /// <summary>The capture job as its Container Apps job runs it: the worker's job command serving the start queue.</summary>
    private static ManagedProcess StartCaptureJob(AzuriteServer azurite, RecordingRig rig, QueueCaptureJobOptions queueOptions) => ManagedProcess.Start(
        "dotnet",
        [QueueJobRig.WorkerDll, "job", "--start-queue", queueOptions.StartQueueName, "--output-root", Recordings(rig), "--allow-private-networks",
         "--visibility-timeout", "30s", "--min-free-disk", "0"],
        environment: new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = azurite.ConnectionString });

    /// <summary>The media job (ladder, thumbnails) as its Container Apps job runs it: the worker's media-job serving the media queue.</summary>
    private static ManagedProcess StartMediaJob(AzuriteServer azurite, RecordingRig rig, QueueCaptureJobOptions queueOptions) => ManagedProcess.Start(
        "dotnet",
        [QueueJobRig.WorkerDll, "media-job", "--queue", queueOptions.MediaQueueName, "--output-root", Recordings(rig), "--visibility-timeout", "30s"],
        environment: new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = azurite.ConnectionString });

    private static string Recordings(RecordingRig rig) => Directory.CreateDirectory(Path.Combine(rig.DataDirectory, "recordings")).FullName;

    private static string[] ServiceSettings(AzuriteServer azurite) =>
    [
        "Recording:Orchestration:ContinueAsNewAfterSegments=2",
        "Recording:Engine:Backend=azureStorage",
        $"Recording:Engine:AzureStorageConnectionString={azurite.ConnectionString}",
        $"Recording:Engine:TaskHubName={TaskHub}",
        $"Recording:Jobs:Queue:ConnectionString={azurite.ConnectionString}",
        // Far past the test's deadline: the media jobs' ends must arrive as replies on the events queue, not by a check.
        "Recording:Orchestration:MediaJobCheckInterval=00:30:00",
    ];

    /// <summary>Messages on a queue, visible or not; a queue that does not exist holds none.</summary>
    private static async Task<int> MessagesAsync(QueueServiceClient queues, string name)
    {
        var queue = queues.GetQueueClient(name);
        return await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    private static async Task<bool> AnyQueueAsync(QueueServiceClient queues, string prefix)
    {
        await foreach (var _ in queues.GetQueuesAsync(prefix: prefix))
        {
            return true;
        }

        return false;
    }
}
