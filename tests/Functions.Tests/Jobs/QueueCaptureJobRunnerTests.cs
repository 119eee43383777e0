using System.Text.Json;
using Recording.Functions.Jobs;

namespace Recording.Functions.Tests.Jobs;

/// <summary>The runner's messages on Azurite, read back as the job reads them: the start message's wire format and the stop request.</summary>
public sealed class QueueCaptureJobRunnerTests
{
    [Fact]
    public async Task Runner_StartThenStop_PutsTheWireFormatOnTheStartQueueAndAStopOnTheControlQueue()
    {
        await using var rig = await QueueJobRig.StartAsync();
        var request = new CaptureJobRequest
        {
            RecordingId = "Rec_Wire.1",
            SourceUrl = "rtmp://live.example.com/app/secret-key",
            OutputDirectory = "/recordings/Rec_Wire.1",
            SegmentLength = TimeSpan.FromSeconds(30),
            MaxDuration = TimeSpan.FromHours(2),
        };

        var handle = await rig.Runner.StartAsync(request);
        await rig.Runner.StopAsync(request.RecordingId);

        var start = (await rig.Queues.GetQueueClient(rig.Options.StartQueueName).ReceiveMessagesAsync(32)).Value;
        var message = Assert.Single(start);
        Assert.Equal(handle.JobId, message.MessageId);
        var json = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal(1, json.GetProperty("version").GetInt32());
        Assert.Equal("Rec_Wire.1", json.GetProperty("recordingId").GetString());
        Assert.Equal("00:00:30", json.GetProperty("segmentLength").GetString());
        Assert.True(json.GetProperty("allowShortSegments").GetBoolean());
        Assert.Equal("02:00:00", json.GetProperty("maxDuration").GetString());
        Assert.Equal("fmp4", json.GetProperty("format").GetString());
        Assert.Equal(rig.Options.EventsQueueName, json.GetProperty("eventsQueue").GetString());
        var controlName = QueueCaptureControlQueue.NameFor(rig.Options.ControlQueuePrefix, request.RecordingId);
        Assert.Equal(controlName, json.GetProperty("controlQueue").GetString());

        var stop = Assert.Single((await rig.Queues.GetQueueClient(controlName).ReceiveMessagesAsync(32)).Value);
        var stopJson = JsonDocument.Parse(stop.Body.ToString()).RootElement;
        Assert.Equal("stop", stopJson.GetProperty("type").GetString());
        Assert.Equal("Rec_Wire.1", stopJson.GetProperty("recordingId").GetString());
    }

    [Fact]
    public async Task Runner_StopOfARecordingThatNeverStarted_IsANoOpThatCreatesNothing()
    {
        await using var rig = await QueueJobRig.StartAsync();

        await rig.Runner.StopAsync("rec-never");

        Assert.False(await rig.Queues.GetQueueClient(QueueCaptureControlQueue.NameFor(rig.Options.ControlQueuePrefix, "rec-never")).ExistsAsync());
    }
}
