using System.Text.Json;
using Recording.Functions.Jobs;
using Recording.Media.Capture;
using Recording.Media.Jobs;
using Recording.Media.Manifest;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Jobs;

/// <summary>The events listener on Azurite: delete only after the sink accepted, redelivery in order after a sink failure, media job replies to their sink, poison.</summary>
public sealed class QueueCaptureEventListenerTests
{
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    [Fact]
    public async Task Listener_SinkFailsOnce_EventIsDeliveredAgainAndLaterEventsDoNotOvertakeIt()
    {
        await using var rig = await QueueJobRig.StartAsync(o => o.EventVisibilityTimeout = TimeSpan.FromSeconds(1));
        var events = rig.Queues.GetQueueClient(rig.Options.EventsQueueName);
        await events.CreateIfNotExistsAsync();
        for (var i = 0; i < 3; i++)
        {
            await events.SendMessageAsync(JsonSerializer.Serialize(Lost("rec-a", i), Json));
        }

        rig.Sink.FailuresToInject = 1;
        await rig.Listener.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(() => rig.Sink.Events.Count == 3, TimeSpan.FromSeconds(30), "three events after one injected failure");
        await rig.Listener.StopAsync(CancellationToken.None);

        Assert.Equal([0, 1, 2], rig.Sink.Events.Select(e => ((SourceLost)e).ResumeDeadline.Second));
        await Eventually.UntilAsync(async () => await rig.ApproximateCountAsync(rig.Options.EventsQueueName) == 0, TimeSpan.FromSeconds(10), "the events queue to be empty");
    }

    [Fact]
    public async Task Listener_MediaJobReply_ReachesTheMediaJobSinkInBothModes_NotTheCaptureSink()
    {
        await using var rig = await QueueJobRig.StartAsync();
        var events = rig.Queues.GetQueueClient(rig.Options.EventsQueueName);
        await events.CreateIfNotExistsAsync();
        var reply = new MediaJobReply
        {
            CorrelationId = "rec-m",
            Operation = MediaJobOperation.Ladder,
            Result = new MediaJobResult { JobId = "rec-m:ladder", Succeeded = true, MasterPlaylistPath = "/recordings/rec-m/post/renditions/master.m3u8" },
        };
        // As the worker sends it: the manifest's JSON shape.
        await events.SendMessageAsync(JsonSerializer.Serialize(reply, Json));

        Assert.Equal(1, await rig.Listener.PollOnceAsync());
        Assert.Equal(QueueCaptureEventOutcome.Delivered, await rig.Listener.ProcessDeliveredAsync(JsonSerializer.Serialize(reply, Json), dequeueCount: 1));

        Assert.Empty(rig.Sink.Events);
        Assert.Equal(2, rig.MediaJobs.Published.Count);
        Assert.All(rig.MediaJobs.Published, p => Assert.Equal(("rec-m", MediaJobOperation.Ladder, "rec-m:ladder", "/recordings/rec-m/post/renditions/master.m3u8"), (p.RecordingId, p.Operation, p.Result.JobId, p.Result.MasterPlaylistPath)));
        Assert.Equal(0, await rig.ApproximateCountAsync(rig.Options.EventsQueueName));
        Assert.Equal(0, await rig.ApproximateCountAsync(rig.Options.PoisonQueueName));
    }

    [Fact]
    public async Task Listener_MalformedAndOverDeliveredMessages_GoToThePoisonQueueNotTheSink()
    {
        await using var rig = await QueueJobRig.StartAsync(o => o.MaxDequeueCount = 2);
        var events = rig.Queues.GetQueueClient(rig.Options.EventsQueueName);
        await events.CreateIfNotExistsAsync();
        await events.SendMessageAsync("{\"not\":\"an event\"}");

        Assert.Equal(1, await rig.Listener.PollOnceAsync());
        Assert.Empty(rig.Sink.Events);
        Assert.Equal(1, await rig.ApproximateCountAsync(rig.Options.PoisonQueueName));
        Assert.Equal(0, await rig.ApproximateCountAsync(rig.Options.EventsQueueName));

        // Push mode: the host's dequeue count decides; a message past the limit is set aside, a good one reaches the sink.
        var good = JsonSerializer.Serialize(Lost("rec-b", 0), Json);
        Assert.Equal(QueueCaptureEventOutcome.Poisoned, await rig.Listener.ProcessDeliveredAsync(good, dequeueCount: 3));
        Assert.Equal(QueueCaptureEventOutcome.Delivered, await rig.Listener.ProcessDeliveredAsync(good, dequeueCount: 1));
        Assert.Equal(QueueCaptureEventOutcome.Poisoned, await rig.Listener.ProcessDeliveredAsync("not json", dequeueCount: 1));
        Assert.Single(rig.Sink.Events);
        Assert.Equal(3, await rig.ApproximateCountAsync(rig.Options.PoisonQueueName));
    }

    [Fact]
    public void Options_BrokenSettings_AreNamedWithTheirRule()
    {
        var options = new QueueCaptureJobOptions { StartQueueName = "Bad_Name", EventsQueueName = "Bad_Name", ControlQueuePrefix = "x", MaxDequeueCount = 0 };

        var failures = options.Validate().ToList();

        Assert.Contains(failures, f => f.StartsWith("Recording:Jobs:Queue:ConnectionString or Recording:Jobs:Queue:QueueServiceUri must be set", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Recording:Jobs:Queue:StartQueueName must be 3 to 57 lowercase", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Recording:Jobs:Queue:StartQueueName, Recording:Jobs:Queue:EventsQueueName and Recording:Jobs:Queue:MediaQueueName must be three different queues", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Recording:Jobs:Queue:ControlQueuePrefix must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Recording:Jobs:Queue:MaxDequeueCount must be", StringComparison.Ordinal));
        Assert.Empty(new QueueCaptureJobOptions { ConnectionString = "UseDevelopmentStorage=true" }.Validate());
    }

    [Fact]
    public void ControlQueueName_IsAValidQueueNameDistinctPerRecording()
    {
        var a = QueueCaptureControlQueue.NameFor("recording-job-ctl", "Rec_1.A");
        var b = QueueCaptureControlQueue.NameFor("recording-job-ctl", "rec_1.a");

        Assert.Matches("^[a-z0-9]([a-z0-9]|-(?!-))+[a-z0-9]$", a);
        Assert.True(a.Length <= 63);
        Assert.NotEqual(a, b);
        Assert.Equal(a, QueueCaptureControlQueue.NameFor("recording-job-ctl", "Rec_1.A"));
    }

    private static QueueCaptureEventMessage Lost(string recordingId, int sequence) => new()
    {
        RecordingId = recordingId,
        JobId = "job-1",
        ExecutionId = "20261123T000000000-aaaaaaaa",
        Sequence = sequence,
        // The resume deadline's second carries the sequence, so the order of arrival can be read back.
        Event = new SourceLost { RecordingId = recordingId, At = DateTimeOffset.UnixEpoch, ResumeDeadline = DateTimeOffset.UnixEpoch.AddSeconds(sequence) },
    };
}
