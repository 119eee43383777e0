using Microsoft.Extensions.Options;
using Recording.Functions.Templates;

namespace Recording.Functions.Notifications;

/// <summary>
/// Sends one recording event to every target a template names: each webhook (signed with its own secret) and the Event Grid topic.
/// Meant to be called from a notification activity; the event id is stable, so the engine re-running the activity is harmless to receivers.
/// </summary>
public sealed class RecordingNotifier(WebhookDeliveryClient webhooks, EventGridTopicPublisher eventGrid, IOptions<NotificationOptions> options)
{
    public async Task<IReadOnlyList<DeliveryResult>> PublishAsync(RecordingEvent recordingEvent, NotificationSettings settings, CancellationToken cancellationToken = default)
    {
        var cloudEvent = RecordingCloudEvents.Create(recordingEvent, options.Value.Source);
        var body = RecordingCloudEvents.Serialize(cloudEvent);
        var deliveries = settings.Webhooks
            .Where(hook => hook.Secret is not null)
            .Select(hook => webhooks.DeliverAsync(hook, recordingEvent, body, cancellationToken))
            .ToList();
        if (settings.EventGrid is { } topic)
        {
            deliveries.Add(eventGrid.PublishAsync(topic, recordingEvent, cloudEvent, cancellationToken));
        }

        return await Task.WhenAll(deliveries);
    }
}
