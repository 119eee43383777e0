using Azure.Data.Tables;
using Recording.Durable.Backends.AzureStorage;

namespace Recording.Functions.Engine;

/// <summary>
/// The service's own tables (templates, the notification delivery log) beside the engine's task hub, in the same account and
/// reached the same way (a connection string, or the app's managed identity): with the engine on Azure Storage, no state of
/// the service is left in a local file, so any instance can answer any request.
/// </summary>
public sealed class ServiceTables : IDisposable
{
    private readonly SemaphoreSlim creating = new(1, 1);
    private volatile bool created;

    public ServiceTables(AzureStorageBackendOptions engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var options = new TableClientOptions();
        if (engine.Transport is not null)
        {
            options.Transport = engine.Transport;
        }

        var service = string.IsNullOrWhiteSpace(engine.ConnectionString)
            ? new TableServiceClient(engine.TableServiceUri!, engine.Credential!, options)
            : new TableServiceClient(engine.ConnectionString, options);
        Templates = service.GetTableClient(engine.TaskHubName + "Templates");
        Deliveries = service.GetTableClient(engine.TaskHubName + "Deliveries");
    }

    public TableClient Templates { get; }

    public TableClient Deliveries { get; }

    /// <summary>Creates the tables on first use, once per process (a failure is tried again by the next caller).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (created)
        {
            return;
        }

        await creating.WaitAsync(cancellationToken);
        try
        {
            if (!created)
            {
                await Templates.CreateIfNotExistsAsync(cancellationToken);
                await Deliveries.CreateIfNotExistsAsync(cancellationToken);
                created = true;
            }
        }
        finally
        {
            creating.Release();
        }
    }

    public void Dispose() => creating.Dispose();
}
