using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Recording.Durable.History;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>Sends, receives, delays and deletes envelopes on the control queues and the work-item queue.</summary>
/// <remarks>Queue visibility has whole-second precision, so delays round up: a message is never visible before its time.</remarks>
internal sealed partial class EnvelopeQueues(TaskHubResources hub, LargePayloadStore payloads, AzureStorageBackendOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Messages never expire: a timer may wait months, and an expired message would be a lost event.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private static readonly JsonSerializerOptions EnvelopeJson = DurableJson.Options;

    public QueueClient ControlQueueOf(string instanceId) =>
        hub.ControlQueues[ControlQueuePartitioner.PartitionOf(instanceId, hub.ControlQueues.Count)];

    public async Task SendToInstanceAsync(OrchestrationMessage message, string? episodeToken, int order, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(message, EnvelopeJson);
        var (inline, blob) = await payloads.StoreAsync(message.InstanceId, body, cancellationToken);
        var envelope = new QueueEnvelope(message.InstanceId, inline, blob, time.GetUtcNow(), order, message.VisibleAt, episodeToken);
        await SendAsync(ControlQueueOf(message.InstanceId), envelope, cancellationToken);
    }

    public async Task SendActivityAsync(ActivityRequest request, string? episodeToken, int order, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(request, EnvelopeJson);
        var (inline, blob) = await payloads.StoreAsync(request.InstanceId, body, cancellationToken);
        var envelope = new QueueEnvelope(request.InstanceId, inline, blob, time.GetUtcNow(), order, null, episodeToken);
        await SendAsync(hub.WorkItemQueue, envelope, cancellationToken);
    }

    /// <summary>Sends the envelope again with the delay left until its time (the next link of a timer chain), then deletes the early copy.</summary>
    /// <remarks>A crash between the two leaves two copies; the second delivery is a duplicate that the executor drops.</remarks>
    public async Task ChainAsync(ReceivedEnvelope received, CancellationToken cancellationToken = default)
    {
        await SendAsync(received.Queue, received.Envelope, cancellationToken);
        await DeleteAsync(received, cancellationToken);
    }

    public async Task<List<ReceivedEnvelope>> ReceiveControlAsync(TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        var batches = await Task.WhenAll(hub.ControlQueues.Select(q => ReceiveAsync(q, 32, visibility, cancellationToken)));
        return batches.SelectMany(b => b).ToList();
    }

    public Task<List<ReceivedEnvelope>> ReceiveActivitiesAsync(int maxMessages, TimeSpan visibility, CancellationToken cancellationToken = default) =>
        ReceiveAsync(hub.WorkItemQueue, maxMessages, visibility, cancellationToken);

    /// <summary>The orchestration message an envelope carries, or null when its body is unreadable (then set aside).</summary>
    public Task<OrchestrationMessage?> TryReadOrchestrationMessageAsync(ReceivedEnvelope received, CancellationToken cancellationToken = default)
        => TryReadBodyAsync<OrchestrationMessage>(received, m => m is { InstanceId: not null, MessageId: not null, Event: not null }, cancellationToken);

    /// <summary>The activity request an envelope carries, or null when its body is unreadable (then set aside).</summary>
    public Task<ActivityRequest?> TryReadActivityRequestAsync(ReceivedEnvelope received, CancellationToken cancellationToken = default)
        => TryReadBodyAsync<ActivityRequest>(received, r => r is { InstanceId: not null, Name: not null }, cancellationToken);

    /// <summary>
    /// An envelope whose body does not deserialize (or whose body blob is gone) can never be processed: failing on it would
    /// fail every lock of its instance, each time it came back. It goes to the poison queue as a whole, like a stray message.
    /// </summary>
    private async Task<T?> TryReadBodyAsync<T>(ReceivedEnvelope received, Func<T, bool> isComplete, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var json = await payloads.LoadAsync(received.Envelope.Body, received.Envelope.BodyBlob, cancellationToken);
            if (JsonSerializer.Deserialize<T>(json, EnvelopeJson) is { } body && isComplete(body))
            {
                return body;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or RequestFailedException { Status: 404 })
        {
        }

        await hub.PoisonQueue.SendMessageAsync(JsonSerializer.Serialize(received.Envelope, EnvelopeJson), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        await DeleteAsync(received, cancellationToken);
        LogBodySetAside(logger, received.QueueMessageId, received.Envelope.InstanceId, received.Queue.Name, hub.PoisonQueue.Name);
        return null;
    }

    /// <summary>Deletes a message; false when the receipt is no longer valid (the message was received again elsewhere, or is gone).</summary>
    public async Task<bool> DeleteAsync(ReceivedEnvelope received, CancellationToken cancellationToken = default)
    {
        try
        {
            await received.Queue.DeleteMessageAsync(received.QueueMessageId, received.PopReceipt, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            return false;
        }
    }

    /// <summary>Makes a held message visible again after <paramref name="delay"/>; returns the updated receipt, or null when it was lost.</summary>
    public async Task<ReceivedEnvelope?> SetVisibilityAsync(ReceivedEnvelope received, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        try
        {
            var seconds = delay <= TimeSpan.Zero ? TimeSpan.Zero : WholeSeconds(delay);
            var before = time.GetUtcNow();
            var receipt = await received.Queue.UpdateMessageAsync(received.QueueMessageId, received.PopReceipt, (string?)null, seconds, cancellationToken);
            // The service reports times to the second; the local clock before the call is a safe lower bound.
            return received with { PopReceipt = receipt.Value.PopReceipt, InvisibleUntil = before + seconds };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            return null;
        }
    }

    public static TimeSpan WholeSeconds(TimeSpan value) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(value.TotalSeconds)));

    private async Task SendAsync(QueueClient queue, QueueEnvelope envelope, CancellationToken cancellationToken)
    {
        TimeSpan? delay = null;
        if (envelope.VisibleAt is { } visibleAt)
        {
            var wait = visibleAt - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                // A delay past the queue's limit is a chain: this link arrives early and is sent on with what is left.
                delay = WholeSeconds(wait < options.MaxTimerMessageDelay ? wait : options.MaxTimerMessageDelay);
            }
        }

        await queue.SendMessageAsync(JsonSerializer.Serialize(envelope, EnvelopeJson), delay, NeverExpires, cancellationToken);
    }

    private async Task<List<ReceivedEnvelope>> ReceiveAsync(QueueClient queue, int maxMessages, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow();
        var response = await queue.ReceiveMessagesAsync(maxMessages, WholeSeconds(visibility), cancellationToken);
        var received = new List<ReceivedEnvelope>(response.Value.Length);
        foreach (var message in response.Value)
        {
            if (Decode(message) is { } envelope)
            {
                received.Add(new ReceivedEnvelope(queue, message.MessageId, message.PopReceipt, message.DequeueCount, before + WholeSeconds(visibility), envelope));
            }
            else
            {
                await SetAsideAsync(queue, message, cancellationToken);
            }
        }

        return received;
    }

    /// <summary>The envelope a message holds, or null when it holds none (another program's message, a hand-written test).</summary>
    private static QueueEnvelope? Decode(QueueMessage message)
    {
        try
        {
            return JsonSerializer.Deserialize<QueueEnvelope>(message.Body.ToString(), EnvelopeJson) is { InstanceId: not null } envelope ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Moves a message that is no envelope to the poison queue, as the Functions queue trigger does. Failing on it instead
    /// would fail the whole receive, leave every message of the batch invisible, and do so again each time it came back:
    /// one stray message would stall all the instances of its partition.
    /// </summary>
    private async Task SetAsideAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        await hub.PoisonQueue.SendMessageAsync(message.Body, visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        LogSetAside(logger, message.MessageId, queue.Name, hub.PoisonQueue.Name);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue message {MessageId} for instance {InstanceId} in {Queue} has a body this engine cannot read; moved to {PoisonQueue}")]
    private static partial void LogBodySetAside(ILogger logger, string messageId, string instanceId, string queue, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue message {MessageId} in {Queue} is not an envelope of this engine; moved to {PoisonQueue}")]
    private static partial void LogSetAside(ILogger logger, string messageId, string queue, string poisonQueue);
}
