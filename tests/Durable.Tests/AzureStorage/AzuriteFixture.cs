using Recording.Durable.Backends.AzureStorage;
using Recording.TestSupport;

namespace Recording.Durable.Tests.AzureStorage;

/// <summary>One Azurite per test class; every test takes its own task hub so that tests never see each other's messages.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? server;
    private int hubs;

    public string ConnectionString => (server ?? throw new InvalidOperationException("Azurite is not started.")).ConnectionString;

    /// <summary>Options for a fresh task hub with delays short enough for tests.</summary>
    public AzureStorageBackendOptions NewOptions(Action<AzureStorageBackendOptions>? configure = null)
    {
        var options = new AzureStorageBackendOptions
        {
            ConnectionString = ConnectionString,
            TaskHubName = $"hub{Interlocked.Increment(ref hubs)}x{Guid.NewGuid():N}"[..20],
            MessageVisibilityTimeout = TimeSpan.FromSeconds(30),
            InstanceLockTimeout = TimeSpan.FromSeconds(30),
            OutOfOrderRetryDelay = TimeSpan.FromMilliseconds(200),
            LockedInstanceRetryDelay = TimeSpan.FromMilliseconds(100),
            MinPollingInterval = TimeSpan.FromMilliseconds(5),
            MaxPollingInterval = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        return options;
    }

    public async Task InitializeAsync() => server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
