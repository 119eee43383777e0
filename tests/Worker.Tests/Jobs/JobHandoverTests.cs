using System.Text.Json;
using Azure.Storage.Queues;
using Recording.TestSupport;

namespace Recording.Worker.Tests.Jobs;

/// <summary>
/// SIGTERM (the platform ending a job execution) is not the end of the recording: the open segment is finalised and reported,
/// no exited event leaves, and the start message is handed back at once, so that the next execution resumes the recording
/// on the same folder; the control queue's stop request then ends it with one exited event.
/// </summary>
public sealed class JobHandoverTests(JobAzuriteFixture fixture) : IClassFixture<JobAzuriteFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Job_Sigterm_HandsTheRecordingToTheNextExecutionWhichStopsOnRequest()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("handover"));
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var start = fixture.Queues.GetQueueClient("start-" + suffix);
        var events = fixture.Queues.GetQueueClient("events-" + suffix);
        var control = fixture.Queues.GetQueueClient("control-" + suffix);
        foreach (var queue in new[] { start, events, control })
        {
            await queue.CreateAsync();
        }

        var output = Path.Combine(Directory.CreateTempSubdirectory("job-handover-").FullName, "rec");
        await start.SendMessageAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["version"] = 1,
            ["recordingId"] = "rec-handover",
            ["sourceUrl"] = server.UrlFor("handover"),
            ["outputDirectory"] = output,
            ["format"] = "fmp4",
            ["segmentLength"] = "00:00:02",
            ["allowShortSegments"] = true,
            ["resumeWindow"] = "00:00:10",
            ["allowPrivateNetworks"] = true,
            ["eventsQueue"] = events.Name,
            ["controlQueue"] = control.Name,
        }));

        // A visibility timeout far longer than the test: only an explicit hand-back can make the message visible in time.
        await using var first = Execution(start.Name);
        await first.WaitForLineAsync(l => l.Contains("\"segment-ready\"", StringComparison.Ordinal), Deadline, "a segment of the first execution");
        first.Signal(Posix.SigTerm);
        Assert.Equal(0, await first.WaitForExitAsync(Deadline));
        Assert.Contains(first.Lines, l => l.Contains("\"exited\"", StringComparison.Ordinal));
        var handedOver = await ReceiveAllAsync(events);
        Assert.DoesNotContain(handedOver, e => e.GetProperty("event").GetProperty("type").GetString() == "exited");
        var lastIndex = handedOver.Max(e => e.GetProperty("event").GetProperty("segment").GetProperty("index").GetInt32());

        await using var second = Execution(start.Name, wait: "5s");
        await second.WaitForLineAsync(
            l => l.Contains("\"segment-ready\"", StringComparison.Ordinal) && JsonDocument.Parse(l).RootElement.GetProperty("segment").GetProperty("index").GetInt32() > lastIndex,
            Deadline,
            "a new segment of the second execution");
        await control.SendMessageAsync("""{"type":"stop","recordingId":"rec-handover","requestedAt":"2026-11-23T00:00:00.000Z"}""");
        Assert.Equal(0, await second.WaitForExitAsync(Deadline));

        var resumed = await ReceiveAllAsync(events);
        var exited = Assert.Single(resumed, e => e.GetProperty("event").GetProperty("type").GetString() == "exited");
        Assert.Equal("stopped", exited.GetProperty("event").GetProperty("reason").GetString());
        Assert.Equal(0, (await start.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.False(await control.ExistsAsync());
        var manifest = await Recording.Media.Manifest.ManifestFile.ReadAsync(output);
        Assert.Equal(manifest.Segments.Count, exited.GetProperty("event").GetProperty("segments").GetInt32());
        Assert.True(manifest.Segments.Count > lastIndex + 1);
    }

    private ManagedProcess Execution(string startQueue, string wait = "30s")
        => WorkerProcess.Start(
            ["job", "--start-queue", startQueue, "--once", "--wait", wait, "--visibility-timeout", "10m", "--stop-poll-interval", "0.5s", "--allow-private-networks", "--min-free-disk", "0"],
            new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = fixture.Azurite.ConnectionString });

    private static async Task<List<JsonElement>> ReceiveAllAsync(QueueClient queue)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return all;
            }

            foreach (var message in batch)
            {
                all.Add(JsonDocument.Parse(message.Body.ToString()).RootElement.Clone());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }
}
