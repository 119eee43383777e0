using Azure.Storage.Queues;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>A queue message this worker holds: where it came from, the receipt to delete or update it, and its decoded envelope.</summary>
internal sealed record ReceivedEnvelope(
    QueueClient Queue,
    string QueueMessageId,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InvisibleUntil,
    QueueEnvelope Envelope);
