using System.Diagnostics;
using Azure;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Microsoft.Extensions.Options;
using Recording.Functions.Network;
using Recording.Functions.Templates;

namespace Recording.Functions.Notifications;

/// <summary>Publishes a recording's CloudEvents to an Event Grid topic through <see cref="EventGridPublisherClient"/>, with the topic key or the managed identity.</summary>
public sealed class EventGridTopicPublisher(
    IDeliveryLog log, IOptions<NotificationOptions> options, TemplateEndpointConnections connections, TimeProvider clock, ILogger<EventGridTopicPublisher> logger)
{
    // One credential for the process: it caches tokens, and building it probes the environment.
    private static readonly Lazy<DefaultAzureCredential> ManagedIdentity = new(() => new DefaultAzureCredential());

    public async Task<DeliveryResult> PublishAsync(EventGridTopic topic, RecordingEvent recordingEvent, CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        var endpoint = new Uri(topic.Endpoint);
        var target = "eventgrid:" + DeliveryTargets.Describe(endpoint);
        var clientOptions = new EventGridPublisherClientOptions();
        // The SDK's own retry policy does the backoff here; its attempts count as one in the log.
        clientOptions.Retry.MaxRetries = options.Value.MaxAttempts - 1;
        clientOptions.Retry.Delay = options.Value.FirstRetryDelay;
        clientOptions.Retry.MaxDelay = options.Value.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = options.Value.AttemptTimeout;
        if (connections.Handler is { } handler)
        {
            clientOptions.Transport = new HttpClientTransport(new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });
        }

        var started = Stopwatch.GetTimestamp();
        int? status = null;
        string? error = null;
        try
        {
            if (topic.AccessKey is null && !EventGridEndpoints.IsAzureEventGrid(endpoint))
            {
                // Templates are validated against this rule; one stored before it existed is refused here, before any sign-in.
                error = "endpoint " + EventGridEndpoints.Rule;
            }
            else
            {
                if (!connections.AllowPrivateNetworks)
                {
                    // Refused here once rather than by the handler on each of the SDK's retries; the handler still checks
                    // every connection, for a name that resolves elsewhere by then.
                    await PublicAddressConnector.PublicAddressesAsync(endpoint.Host, cancellationToken);
                }

                var client = topic.AccessKey is { } key
                    ? new EventGridPublisherClient(endpoint, new AzureKeyCredential(key), clientOptions)
                    : new EventGridPublisherClient(endpoint, ManagedIdentity.Value, clientOptions);
                using var response = await client.SendEventAsync(cloudEvent, cancellationToken);
                status = response.Status;
            }
        }
        catch (PrivateAddressRefusedException ex)
        {
            error = ex.Message;
        }
        catch (RequestFailedException ex) when (ex.InnerException?.InnerException is PrivateAddressRefusedException refused)
        {
            error = refused.Message;
        }
        catch (RequestFailedException ex)
        {
            (status, error) = (ex.Status == 0 ? null : ex.Status, $"Event Grid answered {ex.Status} {ex.ErrorCode}");
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            error = "no credential for the topic: give an access key or grant the managed identity EventGrid Data Sender";
        }

        var delivered = error is null;
        await log.AppendAsync(
            new DeliveryAttempt(recordingEvent.LogKey, recordingEvent.Id, recordingEvent.Type, recordingEvent.Data.Sequence, target, 1, delivered ? DeliveryOutcome.Delivered : DeliveryOutcome.Failed, status, error, Stopwatch.GetElapsedTime(started), clock.GetUtcNow()),
            cancellationToken);
        if (!delivered)
        {
            logger.LogWarning("Event Grid publish of {EventId} to {Target} failed: {Error}", recordingEvent.Id, target, error);
        }

        return new DeliveryResult(target, delivered, 1, status, error);
    }
}
