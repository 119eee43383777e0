using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Recording.Functions.Network;
using Recording.Functions.Templates;

namespace Recording.Functions.Notifications;

/// <summary>
/// Delivers one signed CloudEvent to one webhook, retrying with exponential backoff on 5xx, 408, 429, timeouts and connection
/// failures (other 4xx are the receiver's final answer), and logging every attempt.
/// </summary>
public sealed class WebhookDeliveryClient(HttpClient http, IDeliveryLog log, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<WebhookDeliveryClient> logger)
{
    public async Task<DeliveryResult> DeliverAsync(WebhookEndpoint endpoint, RecordingEvent recordingEvent, byte[] body, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var url = new Uri(endpoint.Url);
        var target = DeliveryTargets.Describe(url);
        int? status = null;
        string? error = null;

        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            TimeSpan? retryAfter = null;
            bool retryable;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(settings.AttemptTimeout);
                try
                {
                    // Signed afresh on every attempt: the timestamp is part of the signature and must be recent when it arrives.
                    using var request = CreateRequest(url, endpoint.Secret!, recordingEvent.Id, body);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    status = (int)response.StatusCode;
                    error = null;
                    if (response.IsSuccessStatusCode)
                    {
                        await LogAsync(recordingEvent, target, attempt, DeliveryOutcome.Delivered, status, null, started, cancellationToken);
                        return new DeliveryResult(target, true, attempt, status, null);
                    }

                    retryable = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                    retryAfter = response.Headers.RetryAfter?.Delta;
                    error = $"receiver answered {status}";
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    (status, error, retryable) = (null, $"no answer within {settings.AttemptTimeout}", true);
                }
                catch (HttpRequestException ex) when (ex.InnerException is PrivateAddressRefusedException refused)
                {
                    (status, error, retryable) = (null, refused.Message, false);
                }
                catch (HttpRequestException ex)
                {
                    (status, error, retryable) = (null, "connection failed: " + ex.HttpRequestError, true);
                }
            }

            var last = !retryable || attempt == settings.MaxAttempts;
            await LogAsync(recordingEvent, target, attempt, last ? DeliveryOutcome.Failed : DeliveryOutcome.Retrying, status, error, started, cancellationToken);
            if (last)
            {
                logger.LogWarning("Webhook delivery of {EventId} to {Target} failed after {Attempts} attempts: {Error}", recordingEvent.Id, target, attempt, error);
                return new DeliveryResult(target, false, attempt, status, error);
            }

            await Task.Delay(RetryDelay(attempt, retryAfter, settings), clock, cancellationToken);
        }

        return new DeliveryResult(target, false, settings.MaxAttempts, status, error);
    }

    /// <summary>Exponential backoff with ±20 % jitter (so many recordings retrying one receiver spread out); a Retry-After is honoured up to the cap.</summary>
    internal static TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter, NotificationOptions settings)
    {
        var exponential = settings.FirstRetryDelay * Math.Pow(2, attempt - 1);
        var capped = exponential > settings.MaxRetryDelay ? settings.MaxRetryDelay : exponential;
        var jittered = capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
        if (retryAfter is { } wait && wait > jittered)
        {
            jittered = wait > settings.MaxRetryDelay ? settings.MaxRetryDelay : wait;
        }

        return jittered;
    }

    private HttpRequestMessage CreateRequest(Uri url, string secret, string id, byte[] body)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(RecordingCloudEvents.StructuredContentType) { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(id, timestamp, body, secret));
        return request;
    }

    private Task LogAsync(RecordingEvent recordingEvent, string target, int attempt, DeliveryOutcome outcome, int? status, string? error, long started, CancellationToken cancellationToken) =>
        log.AppendAsync(
            new DeliveryAttempt(recordingEvent.LogKey, recordingEvent.Id, recordingEvent.Type, recordingEvent.Data.Sequence, target, attempt, outcome, status, error, Stopwatch.GetElapsedTime(started), clock.GetUtcNow()),
            cancellationToken);
}
