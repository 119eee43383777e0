using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>The queues, tables and container of one task hub, named after it, with clients to reach them.</summary>
internal sealed class TaskHubResources
{
    public TaskHubResources(AzureStorageBackendOptions options)
    {
        var hub = options.TaskHubName.ToLowerInvariant();
        // Base64 lets any UTF-8 text through the XML protocol and matches what the Functions queue trigger expects.
        var queueOptions = WithTransport(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, options.Transport);
        var tableOptions = WithTransport(new TableClientOptions(), options.Transport);
        var blobOptions = WithTransport(new BlobClientOptions(), options.Transport);
        QueueServiceClient queues;
        TableServiceClient tables;
        BlobServiceClient blobs;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            queues = new QueueServiceClient(options.ConnectionString, queueOptions);
            tables = new TableServiceClient(options.ConnectionString, tableOptions);
            blobs = new BlobServiceClient(options.ConnectionString, blobOptions);
        }
        else
        {
            queues = new QueueServiceClient(options.QueueServiceUri!, options.Credential!, queueOptions);
            tables = new TableServiceClient(options.TableServiceUri!, options.Credential!, tableOptions);
            blobs = new BlobServiceClient(options.BlobServiceUri!, options.Credential!, blobOptions);
        }

        ControlQueues = Enumerable.Range(0, options.PartitionCount)
            .Select(i => queues.GetQueueClient($"{hub}-control-{i:D2}"))
            .ToArray();
        WorkItemQueue = queues.GetQueueClient($"{hub}-workitems");
        PoisonQueue = queues.GetQueueClient($"{hub}-poison");
        History = tables.GetTableClient(options.TaskHubName + "History");
        Instances = tables.GetTableClient(options.TaskHubName + "Instances");
        Payloads = blobs.GetBlobContainerClient($"{hub}-payloads");
    }

    public IReadOnlyList<QueueClient> ControlQueues { get; }

    public QueueClient WorkItemQueue { get; }

    /// <summary>Where a message that is not this engine's envelope is set aside, so that it stops no batch and is kept for a look.</summary>
    public QueueClient PoisonQueue { get; }

    public TableClient History { get; }

    public TableClient Instances { get; }

    public BlobContainerClient Payloads { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var creations = new List<Task>();
        creations.AddRange(ControlQueues.Select(q => q.CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        creations.Add(WorkItemQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        creations.Add(PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        creations.Add(History.CreateIfNotExistsAsync(cancellationToken));
        creations.Add(Instances.CreateIfNotExistsAsync(cancellationToken));
        creations.Add(Payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(creations);
    }

    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        var deletions = new List<Task>();
        deletions.AddRange(ControlQueues.Select(q => q.DeleteIfExistsAsync(cancellationToken)));
        deletions.Add(WorkItemQueue.DeleteIfExistsAsync(cancellationToken));
        deletions.Add(PoisonQueue.DeleteIfExistsAsync(cancellationToken));
        deletions.Add(History.DeleteAsync(cancellationToken));
        deletions.Add(Instances.DeleteAsync(cancellationToken));
        deletions.Add(Payloads.DeleteIfExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(deletions);
    }

    private static T WithTransport<T>(T options, Azure.Core.Pipeline.HttpPipelineTransport? transport)
        where T : Azure.Core.ClientOptions
    {
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }
}
