using Recording.Durable.Activities;
using Recording.Functions.Notifications;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Delivers one recording event to the template's webhooks and Event Grid topic (the notifier retries and logs each delivery).</summary>
/// <remarks>A receiver that stays down does not fail the recording: this activity fails, the orchestration names the event
/// in its status without calling it again (the notifier has retried already), and the delivery log shows each attempt.
/// The event id (recording id + sequence) lets receivers drop the duplicate that a re-run of this activity may send.</remarks>
public sealed class NotifyRecording(RecordingNotifier notifier) : TaskActivity<NotifyInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, NotifyInput input)
    {
        var results = await notifier.PublishAsync(input.Event, input.Settings, context.CancellationToken);
        if (results.Any(r => !r.Delivered))
        {
            throw EventNotDeliveredException.For(results.Where(r => !r.Delivered));
        }

        return results.Count;
    }
}
