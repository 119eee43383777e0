using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>Settings of the Azure Storage backend: where the task hub lives and how long its leases and delays are.</summary>
public sealed partial class AzureStorageBackendOptions
{
    /// <summary>Azure's own limit on a queue message's visibility delay.</summary>
    public static readonly TimeSpan QueueVisibilityLimit = TimeSpan.FromDays(7);

    /// <summary>A storage connection string (Azurite, or an account key). Leave empty to use the service URIs with <see cref="Credential"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Queue service endpoint, used with <see cref="Credential"/> (managed identity) when there is no connection string.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Table service endpoint, used with <see cref="Credential"/>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Blob service endpoint, used with <see cref="Credential"/>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Credential for the service URIs, for example a managed identity.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>
    /// The HTTP transport of the queue, table and blob clients (a proxy's handler, or a test's trust in a self-signed
    /// certificate); null for the SDK's own.
    /// </summary>
    public HttpPipelineTransport? Transport { get; set; }

    /// <summary>Names the queues, tables and blob container; several task hubs can share one account.</summary>
    public string TaskHubName { get; set; } = "durable";

    /// <summary>Number of control queues; an instance always lands in the same one (stable hash of its id).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>How long a received message stays invisible to other workers before it is delivered again.</summary>
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a worker holds an instance while it runs one episode; an expired lock can be taken over.</summary>
    public TimeSpan InstanceLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Longest delay given to one timer message. Azure caps it at 7 days; a later timer is a chain of messages.
    /// Tests lower it to seconds to see the chain.
    /// </summary>
    public TimeSpan MaxTimerMessageDelay { get; set; } = QueueVisibilityLimit - TimeSpan.FromMinutes(1);

    /// <summary>Payloads larger than this (UTF-8 bytes) are stored in a blob and the message or row carries a reference.</summary>
    public int LargePayloadThresholdBytes { get; set; } = 45 * 1024;

    /// <summary>How many times a message for an instance that does not exist yet (or for an episode not yet committed) is put back before it is dropped.</summary>
    public int MaxOutOfOrderDeliveries { get; set; } = 20;

    /// <summary>Delay before an out-of-order message is looked at again.</summary>
    public TimeSpan OutOfOrderRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay before a message for an instance locked by another worker is looked at again.</summary>
    public TimeSpan LockedInstanceRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Shortest pause between two empty polls of the queues.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Longest pause between two empty polls of the queues (the backoff grows up to it).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws with the name of the first setting that breaks its rule.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (QueueServiceUri is null || TableServiceUri is null || BlobServiceUri is null || Credential is null)
            {
                throw new ArgumentException(
                    $"{nameof(ConnectionString)}: set a connection string, or all of {nameof(QueueServiceUri)}, {nameof(TableServiceUri)}, {nameof(BlobServiceUri)} and {nameof(Credential)}.");
            }
        }

        if (!TaskHubNamePattern().IsMatch(TaskHubName ?? ""))
        {
            throw new ArgumentException($"{nameof(TaskHubName)}: must be 3 to 45 letters or digits and start with a letter (it names queues, tables and a container).");
        }

        if (PartitionCount is < 1 or > 16)
        {
            throw new ArgumentException($"{nameof(PartitionCount)}: must be between 1 and 16.");
        }

        RequirePositive(MessageVisibilityTimeout, nameof(MessageVisibilityTimeout));
        RequirePositive(InstanceLockTimeout, nameof(InstanceLockTimeout));
        RequirePositive(OutOfOrderRetryDelay, nameof(OutOfOrderRetryDelay));
        RequirePositive(LockedInstanceRetryDelay, nameof(LockedInstanceRetryDelay));
        RequirePositive(MinPollingInterval, nameof(MinPollingInterval));
        if (MaxPollingInterval < MinPollingInterval)
        {
            throw new ArgumentException($"{nameof(MaxPollingInterval)}: must be at least {nameof(MinPollingInterval)}.");
        }

        if (MaxTimerMessageDelay < TimeSpan.FromSeconds(1) || MaxTimerMessageDelay >= QueueVisibilityLimit)
        {
            throw new ArgumentException($"{nameof(MaxTimerMessageDelay)}: must be at least 1 second and less than 7 days (the queue visibility limit).");
        }

        if (MessageVisibilityTimeout >= QueueVisibilityLimit)
        {
            throw new ArgumentException($"{nameof(MessageVisibilityTimeout)}: must be less than 7 days (the queue visibility limit).");
        }

        // Base64 grows a message by a third and the queue takes 64 KiB, so an inline payload must stay under 48 KiB.
        if (LargePayloadThresholdBytes is < 1024 or > 47 * 1024)
        {
            throw new ArgumentException($"{nameof(LargePayloadThresholdBytes)}: must be between 1 KiB and 47 KiB (a queue message holds 64 KiB after Base64).");
        }

        if (MaxOutOfOrderDeliveries < 1)
        {
            throw new ArgumentException($"{nameof(MaxOutOfOrderDeliveries)}: must be at least 1.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name}: must be greater than zero.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubNamePattern();
}
