using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recording.Functions.Notifications;
using Recording.TestSupport;
using Xunit.Abstractions;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// Canceling compositions against real parts (nginx-rtmp, the service and its media worker processes, s3rver): one canceled
/// while it waits for a recording that is still recording, one canceled while its compose job's ffmpeg encodes. Neither leaves
/// a composite, a local file or a running ffmpeg behind, and the recording they named is untouched.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CompositionCancelEndToEndTests(ITestOutputHelper output)
{
    private const string RecordingId = "e2e-cancel-rec";
    private static readonly TimeSpan EndDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Cancel_WhileWaitingOrWhileComposing_EndsTheCompositionCanceled_LeavingNoCompositeNoFilesAndNoFfmpeg()
    {
        await using var rig = await RecordingRig.StartAsync();
        // One check per execution: a waiting composition continues as new after every pause, so the cancel below reaches an
        // execution that the wait continued into (a day's wait does so every 30 checks).
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory, "Recording:Orchestration:CompositionWaitChecksPerExecution=1");
        using var client = service.Client();
        const string waiting = "e2e-cancel-waiting";
        const string composing = "e2e-cancel-composing";

        try
        {
            var body = rig.StartBody(RecordingId, hls: false, ladder: false, thumbnails: false);
            body["template"]!["segmentLength"] = "00:00:04";
            using (var started = await RecordingRig.PostAsync(client, "api/recordings", body))
            {
                Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            }

            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, RecordingId)).GetProperty("segments").GetArrayLength() >= 1, TimeSpan.FromSeconds(60), "the first segment");

            // 1. Canceled while it waits for the recording: it stops waiting at once, rather than after its 24 h wait timeout.
            await PostCompositionAsync(client, waiting, "640x360");
            await Eventually.UntilAsync(
                async () => (await CompositionAsync(client, waiting)).GetProperty("waitingFor").EnumerateArray().Select(r => r.GetString()).SequenceEqual([RecordingId]),
                TimeSpan.FromSeconds(30),
                "the composition to wait for the recording");
            var firstExecution = await ExecutionAsync(rig, waiting);
            await Eventually.UntilAsync(async () => (await ExecutionAsync(rig, waiting)).Id != firstExecution.Id, TimeSpan.FromSeconds(30), "the wait to continue as new");
            var continued = await ExecutionAsync(rig, waiting);
            Assert.True(continued.HistoryEvents <= firstExecution.HistoryEvents + 2, $"the history holds one execution: {continued.HistoryEvents} events, the first execution's {firstExecution.HistoryEvents}");
            // Every execution publishes the recordings it waits for, the continued ones from their first episode on.
            var continuedStatus = await CompositionAsync(client, waiting);
            Assert.Equal("waiting", continuedStatus.GetProperty("phase").GetString());
            Assert.Equal([RecordingId], continuedStatus.GetProperty("waitingFor").EnumerateArray().Select(r => r.GetString()));
            using (var busy = await client.DeleteAsync($"api/compositions/{waiting}"))
            {
                Assert.Contains("cancel it first", (await ProblemAssert.IsProblemAsync(busy, 409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            await CancelAsync(client, waiting);
            var waitingEnd = await EndedAsync(client, waiting);
            AssertCanceled(waitingEnd, "waiting");
            Assert.Empty(rig.CompositionEvents(waiting));
            using (var again = await RecordingRig.PostAsync(client, $"api/compositions/{waiting}/cancel", null))
            {
                Assert.Contains("has already ended", (await ProblemAssert.IsProblemAsync(again, 409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            using (var deleted = await client.DeleteAsync($"api/compositions/{waiting}"))
            {
                Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            }

            Assert.Equal("Running", (await RecordingRig.StatusAsync(client, RecordingId)).GetProperty("runtimeStatus").GetString());

            // 2. Canceled while composing: at 1920x1080 the compose job of the finished recording runs for several seconds.
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, RecordingId)).GetProperty("segments").GetArrayLength() >= 3, TimeSpan.FromSeconds(60), "three segments");
            using (var stopped = await RecordingRig.PostAsync(client, $"api/recordings/{RecordingId}/stop", null))
            {
                Assert.Equal(HttpStatusCode.Accepted, stopped.StatusCode);
            }

            await RecordingRig.CompletedStatusAsync(client, RecordingId);
            await PostCompositionAsync(client, composing, "1920x1080");
            await Eventually.UntilAsync(
                async () => (await CompositionAsync(client, composing)).GetProperty("phase").GetString() == "composing",
                TimeSpan.FromSeconds(60),
                "the composition's compose job",
                TimeSpan.FromMilliseconds(100));
            var workFolder = Path.Combine(rig.DataDirectory, "recordings", ".compositions", composing);
            await Eventually.UntilAsync(() => Task.FromResult(ProcessTable.FfmpegsWorkingIn(workFolder).Count > 0), TimeSpan.FromSeconds(30), "the compose job's ffmpeg", TimeSpan.FromMilliseconds(100));
            await CancelAsync(client, composing);
            var composingEnd = await EndedAsync(client, composing);

            AssertCanceled(composingEnd, "composing");
            var jobEnd = Assert.Single(composingEnd.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "media-job-canceled");
            Assert.Equal("The compose job was canceled (canceled through the API); its worker ended it: canceled: canceled through the API", jobEnd.GetProperty("message").GetString());
            Assert.Empty(ProcessTable.FfmpegsWorkingIn(workFolder));
            Assert.False(Directory.Exists(workFolder), $"{workFolder} is left behind");
            using var bucket = await rig.BucketAsync();
            var composites = new List<string>();
            await foreach (var stored in bucket.ListAsync(""))
            {
                composites.AddRange(stored.Key.Contains("/composite/", StringComparison.Ordinal) ? [stored.Key] : []);
            }

            Assert.Empty(composites);
            var (_, type, data) = Assert.Single(rig.CompositionEvents(composing));
            Assert.Equal(RecordingEventTypes.CompositionFailed, type);
            Assert.Contains("canceled while composing", data.GetProperty("reason").GetString(), StringComparison.Ordinal);
            using (var log = JsonDocument.Parse(await client.GetStringAsync($"api/compositions/{composing}/notifications")))
            {
                // The composition's own delivery log: its one event, delivered; the recording's events are not in it.
                Assert.Equal(composing, log.RootElement.GetProperty("compositionId").GetString());
                var delivery = Assert.Single(log.RootElement.GetProperty("deliveries").EnumerateArray());
                Assert.Equal((RecordingEventTypes.CompositionFailed, "Delivered"), (delivery.GetProperty("eventType").GetString(), delivery.GetProperty("outcome").GetString()));
                Assert.Equal($"composition-{composing}-1", delivery.GetProperty("eventId").GetString());
                // The log's key ("composition:{id}") is not shown as if it were a recording's id.
                Assert.DoesNotContain(delivery.EnumerateObject(), p => p.Name is "recordingId" or "logKey");
            }

            Assert.Equal("Completed", (await RecordingRig.StatusAsync(client, RecordingId)).GetProperty("runtimeStatus").GetString());
        }
        catch
        {
            output.WriteLine("service:\n" + service.Tail());
            throw;
        }
    }

    /// <summary>The composition's current execution in the service's SQLite engine file, and how many history events it holds.</summary>
    private static async Task<(string Id, long HistoryEvents)> ExecutionAsync(RecordingRig rig, string compositionId)
    {
        var instanceId = Orchestration.CompositionOrchestrator.InstanceId(compositionId);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(rig.DataDirectory, "engine.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT execution_id, (SELECT COUNT(*) FROM history WHERE instance_id = $id) FROM instances WHERE instance_id = $id";
        command.Parameters.AddWithValue("$id", instanceId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{instanceId} is in the engine file");
        return (reader.GetString(0), reader.GetInt64(1));
    }

    private static async Task PostCompositionAsync(HttpClient client, string id, string size)
    {
        var body = new JsonObject
        {
            ["id"] = id,
            ["tracks"] = new JsonArray(new JsonObject { ["recordingId"] = RecordingId, ["participant"] = "Alice" }),
            ["size"] = size,
        };
        using var created = await RecordingRig.PostAsync(client, "api/compositions", body);
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, $"POST /api/compositions {id}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }

    private static async Task CancelAsync(HttpClient client, string id)
    {
        using var canceled = await RecordingRig.PostAsync(client, $"api/compositions/{id}/cancel", null);
        Assert.True(canceled.StatusCode == HttpStatusCode.Accepted, $"cancel {id}: {(int)canceled.StatusCode} {await canceled.Content.ReadAsStringAsync()}");
        Assert.EndsWith($"/api/compositions/{id}", canceled.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> CompositionAsync(HttpClient client, string id)
    {
        using var answer = await client.GetAsync($"api/compositions/{id}");
        answer.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> EndedAsync(HttpClient client, string id)
    {
        var json = await Eventually.WaitForAsync(
            async () =>
            {
                var status = await CompositionAsync(client, id);
                return status.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated" ? status.GetRawText() : null;
            },
            EndDeadline,
            $"composition {id} to end",
            TimeSpan.FromMilliseconds(250));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private void AssertCanceled(JsonElement status, string phaseCanceledIn)
    {
        output.WriteLine(status.GetRawText());
        Assert.Equal("Failed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal("canceled", status.GetProperty("phase").GetString());
        Assert.Empty(status.GetProperty("assets").EnumerateArray());
        var error = Assert.Single(status.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "composition-canceled");
        output.WriteLine(error.GetProperty("message").GetString());
        Assert.StartsWith($"The composition was canceled while {phaseCanceledIn}: canceled through the API", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
