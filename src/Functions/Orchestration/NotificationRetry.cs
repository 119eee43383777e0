using Recording.Durable.Orchestrations;
using Recording.Functions.Notifications;

namespace Recording.Functions.Orchestration;

/// <summary>
/// How an orchestration retries its <see cref="Activities.NotifyRecording"/> call: a failure of the call itself (its worker
/// lost, the store down) is retried; receivers that did not take the event are not, as the notifier has retried each of
/// them already (about a minute and a half for a webhook) and a second round would only delay what the status reports.
/// </summary>
internal static class NotificationRetry
{
    public static readonly TaskOptions Options = new(new RetryPolicy(3, TimeSpan.FromSeconds(2), 2.0)
    {
        HandleFailure = failure => !failure.IsCausedBy<EventNotDeliveredException>(),
    });
}
