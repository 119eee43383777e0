using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using Recording.Media.Jobs;
using Recording.Media.Manifest;

namespace Recording.Functions.Jobs;

/// <summary>
/// Hands the capture jobs' events (the events queue) to the <see cref="ICaptureEventSink"/>, and the media jobs' replies on the
/// same queue to the <see cref="IMediaJobEventSink"/>. Pull mode (self-hosted): a polling
/// loop with backoff that deletes a message only after the sink accepted it. Push mode (behind the Functions host):
/// <see cref="ProcessDeliveredAsync"/> handles one message that the queue trigger delivered, and the host deletes it.
/// </summary>
/// <remarks>
/// Azure queues are nearly, not strictly, FIFO. The job sends its events one at a time, each after the previous was accepted;
/// a received batch is put back in the order it was sent (execution id, then sequence), and when the sink fails on an event of
/// a recording, that recording's later events in the batch wait for the redelivery rather than overtake it.
/// </remarks>
public sealed partial class QueueCaptureEventListener : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    private readonly QueueCaptureJobOptions options;
    private readonly ICaptureEventSink sink;
    private readonly IMediaJobEventSink mediaJobs;
    private readonly ILogger<QueueCaptureEventListener> logger;
    private readonly QueueClient events;
    private readonly QueueClient poison;
    private bool queuesCreated;

    public QueueCaptureEventListener(IOptions<QueueCaptureJobOptions> options, ICaptureEventSink sink, IMediaJobEventSink mediaJobs, ILogger<QueueCaptureEventListener> logger)
    {
        this.options = options.Value;
        this.options.ThrowIfInvalid();
        this.sink = sink;
        this.mediaJobs = mediaJobs;
        this.logger = logger;
        var service = this.options.CreateServiceClient();
        events = service.GetQueueClient(this.options.EventsQueueName);
        poison = service.GetQueueClient(this.options.PoisonQueueName);
    }

    /// <summary>
    /// Push mode: handles one delivered message (its decoded text and dequeue count, as the queue trigger passes them). Returns
    /// <see cref="QueueCaptureEventOutcome.Poisoned"/> for a message that can never be handled (it is copied to the poison queue;
    /// acknowledge it); throws when the sink failed, so that the host delivers the message again.
    /// </summary>
    public async Task<QueueCaptureEventOutcome> ProcessDeliveredAsync(string messageText, long dequeueCount, CancellationToken cancellationToken = default)
    {
        await EnsureQueuesAsync(cancellationToken);
        if (dequeueCount > options.MaxDequeueCount)
        {
            await PoisonAsync(messageText, $"delivered {dequeueCount} times", cancellationToken);
            return QueueCaptureEventOutcome.Poisoned;
        }

        if (ParseReply(messageText) is { } reply)
        {
            await mediaJobs.PublishAsync(reply.CorrelationId, reply.Operation, reply.Result, cancellationToken);
            return QueueCaptureEventOutcome.Delivered;
        }

        if (Parse(messageText) is not { } message)
        {
            await PoisonAsync(messageText, "not a capture event or media job reply message", cancellationToken);
            return QueueCaptureEventOutcome.Poisoned;
        }

        await sink.PublishAsync(message.Event, cancellationToken);
        return QueueCaptureEventOutcome.Delivered;
    }

    /// <summary>Pull mode, one poll: receives up to 32 messages and handles them in order; returns how many it received.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        await EnsureQueuesAsync(cancellationToken);
        QueueMessage[] received = await events.ReceiveMessagesAsync(32, options.EventVisibilityTimeout, cancellationToken);
        var batch = received
            .Select(m => (Message: m, Parsed: Parse(m.Body.ToString())))
            .OrderBy(m => m.Parsed?.ExecutionId, StringComparer.Ordinal)
            .ThenBy(m => m.Parsed?.Sequence)
            .ToList();
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (message, parsed) in batch)
        {
            var reply = parsed is null ? ParseReply(message.Body.ToString()) : null;
            if (message.DequeueCount > options.MaxDequeueCount || (parsed is null && reply is null))
            {
                await PoisonAsync(message.Body.ToString(), parsed is null && reply is null ? "not a capture event or media job reply message" : $"delivered {message.DequeueCount} times", cancellationToken);
                await DeleteAsync(message, cancellationToken);
                continue;
            }

            if (reply is not null)
            {
                // A media job's end: independent of the capture events' order, so it neither waits for them nor holds them.
                try
                {
                    await mediaJobs.PublishAsync(reply.CorrelationId, reply.Operation, reply.Result, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    ReplyFailed(logger, ex, reply.Result.JobId);
                    continue;
                }

                await DeleteAsync(message, cancellationToken);
                continue;
            }

            if (held.Contains(parsed!.RecordingId))
            {
                continue;
            }

            try
            {
                await sink.PublishAsync(parsed.Event, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                SinkFailed(logger, ex, parsed.RecordingId, parsed.Sequence);
                held.Add(parsed.RecordingId);
                continue;
            }

            await DeleteAsync(message, cancellationToken);
        }

        return received.Length;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.PollEventsQueue)
        {
            return;
        }

        var delay = options.MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await PollOnceAsync(stoppingToken) > 0)
                {
                    delay = options.MinPollingInterval;
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Storage down or slow (the SDK's own retries exhausted): keep the host up and back off.
                PollFailed(logger, ex, options.EventsQueueName);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxPollingInterval.Ticks));
        }
    }

    private static QueueCaptureEventMessage? Parse(string text)
    {
        try
        {
            var message = JsonSerializer.Deserialize<QueueCaptureEventMessage>(text, Json);
            return message is { Event: not null } && !string.IsNullOrEmpty(message.RecordingId) && message.Event.RecordingId == message.RecordingId ? message : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static MediaJobReply? ParseReply(string text)
    {
        try
        {
            var reply = JsonSerializer.Deserialize<MediaJobReply>(text, Json);
            return reply is { Type: MediaJobReply.MessageType, Result: not null } && !string.IsNullOrEmpty(reply.CorrelationId) ? reply : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private async Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await events.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Visible again and taken by another reader, or already deleted: delivered at least once either way.
        }
    }

    private async Task PoisonAsync(string text, string why, CancellationToken cancellationToken)
    {
        Poisoned(logger, options.EventsQueueName, options.PoisonQueueName, why);
        await poison.SendMessageAsync(text, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken);
    }

    private async Task EnsureQueuesAsync(CancellationToken cancellationToken)
    {
        if (queuesCreated || !options.CreateQueues)
        {
            return;
        }

        await events.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        queuesCreated = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sink refused capture event {Sequence} of {RecordingId}; it is delivered again after the visibility timeout")]
    private static partial void SinkFailed(ILogger logger, Exception exception, string recordingId, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply of media job {JobId} could not be raised; it is delivered again after the visibility timeout")]
    private static partial void ReplyFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling {Queue} failed; backing off")]
    private static partial void PollFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message of {Queue} moved to {PoisonQueue}: {Why}")]
    private static partial void Poisoned(ILogger logger, string queue, string poisonQueue, string why);
}
