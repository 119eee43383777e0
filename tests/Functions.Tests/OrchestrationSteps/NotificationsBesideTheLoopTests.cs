using System.Collections.Concurrent;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Templates;
using Recording.TestSupport;

namespace Recording.Functions.Tests.OrchestrationSteps;

/// <summary>
/// Orchestrator version 3: a recording's notifications are delivered beside its event loop. A receiver that takes its time
/// (a webhook's retries last up to about a minute and a half per event) holds back neither the uploads nor a stop, and the
/// final event is sent once every event before it is done. Version 2 instances still deliver each event before the next step.
/// </summary>
public sealed class NotificationsBesideTheLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeliveriesThatDoNotEnd_HoldBackNeitherTheUploadsNorTheStop_AndTheFinalEventIsSentAfterThem()
    {
        var receiver = new HoldingReceiver();
        await using var rig = await StandInRecordingRig.StartAsync(WithAWebhook(), receiver.DeliverAsync);
        try
        {
            await rig.RecordAsync(OrchestratorCodeVersion.Current);
            await Eventually.UntilAsync(() => receiver.Sent.Contains(RecordingEventTypes.Started), Deadline, "recording.started sent");

            // recording.started is still at the receiver: the segments are uploaded all the same, and the stop is acted on.
            await rig.SegmentAsync(0);
            await rig.SegmentAsync(1);
            await rig.WaitUntilUploadedAsync(2);
            await rig.StopAsync();
            await Eventually.UntilAsync(() => rig.StopsRequested > 0, Deadline, "the capture job asked to stop");
            await rig.EndAsync(segments: 2);
            await Eventually.UntilAsync(async () => (await rig.ProgressAsync()).Phase == RecordingPhases.Notifying, Deadline, "the recording at its final event");
            Assert.Empty(receiver.Delivered);
            Assert.DoesNotContain(RecordingEventTypes.Completed, receiver.Sent);
        }
        finally
        {
            // Held deliveries would keep the engine from stopping.
            receiver.Release();
        }

        var status = await rig.CompletionAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Empty(status.ReadCustomStatusAs<RecordingProgress>()!.Errors);
        Assert.Equal(
            [RecordingEventTypes.Started, RecordingEventTypes.SegmentReady, RecordingEventTypes.SegmentReady, RecordingEventTypes.Completed],
            receiver.SentEvents.OrderBy(e => e.Data.Sequence).Select(e => e.Type));
        Assert.Equal(RecordingEventTypes.Completed, receiver.Sent[^1]);
        Assert.Equal(4, receiver.Delivered.Count);
    }

    [Fact]
    public async Task ADeliveryThatFails_IsNamedInTheStatus_AndTheRecordingCompletes()
    {
        await using var rig = await StandInRecordingRig.StartAsync(WithAWebhook(), delivery => delivery.Event.Type == RecordingEventTypes.SegmentReady
            ? throw new HttpRequestException("receiver down")
            : Task.FromResult(1));
        var error = await TheOneErrorOfAOneSegmentRecordingAsync(rig);

        Assert.Equal("notification-failed", error.Code);
        Assert.Contains(RecordingEventTypes.SegmentReady, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEventItsReceiversDidNotTake_IsNamedInTheStatusOnce_WithoutASecondRoundOfRetries()
    {
        var attempts = new ConcurrentQueue<string>();
        await using var rig = await StandInRecordingRig.StartAsync(WithAWebhook(), delivery =>
        {
            attempts.Enqueue(delivery.Event.Type);
            return delivery.Event.Type == RecordingEventTypes.SegmentReady
                ? throw new EventNotDeliveredException("not taken by https://hooks.example.com/recordings (receiver answered 503, 6 attempts)")
                : Task.FromResult(1);
        });
        var error = await TheOneErrorOfAOneSegmentRecordingAsync(rig);

        Assert.Equal("notification-failed", error.Code);
        Assert.Contains("receiver answered 503", error.Message, StringComparison.Ordinal);
        // The notifier retried each receiver already: the orchestration does not run the delivery again.
        Assert.Single(attempts, RecordingEventTypes.SegmentReady);
    }

    [Fact]
    public async Task AnInstanceOfVersionTwo_DeliversEachEventBeforeItsNextStep_SoItsHistoryReplays()
    {
        await using var rig = await StandInRecordingRig.StartAsync(WithAWebhook(), _ => Task.FromResult(1));
        await rig.RecordAsync(OrchestratorCodeVersion.SegmentEventsInOrder);
        await rig.SegmentAsync(0);
        await rig.WaitUntilUploadedAsync(1);
        await rig.EndAsync(segments: 1);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await rig.CompletionAsync()).RuntimeStatus);
        // Each delivery's result is in the history before the step that follows it is scheduled.
        var history = await rig.HistoryAsync();
        var scheduled = history.OfType<TaskScheduled>().ToList();
        foreach (var notify in scheduled.Where(t => t.Name == nameof(NotifyRecording)))
        {
            var next = scheduled.FirstOrDefault(t => t.TaskId > notify.TaskId);
            var completedAt = history.FindIndex(e => e is TaskCompleted c && c.TaskScheduledId == notify.TaskId);
            Assert.True(next is null || completedAt < history.IndexOf(next), $"task {notify.TaskId} ({notify.Name}) was not delivered before task {next?.TaskId} ({next?.Name}) was scheduled");
        }
    }

    /// <summary>Records one segment to the end; the recording completes, and its status holds exactly one error, returned.</summary>
    private static async Task<RecordingError> TheOneErrorOfAOneSegmentRecordingAsync(StandInRecordingRig rig)
    {
        await rig.RecordAsync(OrchestratorCodeVersion.Current);
        await rig.SegmentAsync(0);
        await rig.WaitUntilUploadedAsync(1);
        await rig.EndAsync(segments: 1);

        var status = await rig.CompletionAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        return Assert.Single(status.ReadCustomStatusAs<RecordingProgress>()!.Errors);
    }

    private static RecordingTemplate WithAWebhook() => new()
    {
        Notifications = new NotificationSettings { Webhooks = [new WebhookEndpoint { Url = "https://hooks.example.com/recordings", Secret = WebhookSecret.Create() }] },
    };

    /// <summary>Stands in for a receiver that answers nothing until released: each delivery is recorded when sent and when done.</summary>
    private sealed class HoldingReceiver
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<RecordingEvent> sent = new();
        private readonly ConcurrentQueue<string> delivered = new();

        public IReadOnlyList<string> Sent => [.. sent.Select(e => e.Type)];

        public IReadOnlyList<RecordingEvent> SentEvents => [.. sent];

        public IReadOnlyList<string> Delivered => [.. delivered];

        public void Release() => released.TrySetResult();

        public async Task<int> DeliverAsync(NotifyInput delivery)
        {
            sent.Enqueue(delivery.Event);
            await released.Task;
            delivered.Enqueue(delivery.Event.Type);
            return 1;
        }
    }
}
