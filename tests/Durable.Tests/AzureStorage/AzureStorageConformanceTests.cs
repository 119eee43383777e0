using Recording.Durable.Backends;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.Tests.Conformance;

namespace Recording.Durable.Tests.AzureStorage;

/// <summary>The shared backend conformance suite on the Azure Storage backend against Azurite, one task hub per test.</summary>
public sealed class AzureStorageConformanceTests(AzuriteFixture azurite) : BackendConformanceTests, IClassFixture<AzuriteFixture>
{
    /// <summary>Queue visibility has whole-second precision: a shorter lease would be rounded up to a second anyway, and the
    /// renewal test must outlast the visibility of the first receive to prove anything.</summary>
    protected override TimeSpan LeaseForTests => TimeSpan.FromSeconds(1);

    protected override async Task<IDurableBackend> CreateBackendAsync(ICommitStepListener? listener = null)
    {
        var backend = new AzureStorageBackend(azurite.NewOptions(), listener);
        await backend.CreateIfNotExistsAsync();
        return backend;
    }

    /// <summary>Control-queue messages stay invisible for twice the lock after a receive, so the takeover needs a lock of whole seconds' order.</summary>
    protected override int CachedHistories(IDurableBackend backend) => ((AzureStorageBackend)backend).CachedHistories;

    protected override TimeSpan CompetitionLock => TimeSpan.FromMilliseconds(500);

    protected override async Task<Func<ICommitStepListener?, Task<IDurableBackend>>> CreateSharedStoreAsync()
    {
        var options = azurite.NewOptions();
        await new AzureStorageBackend(options).CreateIfNotExistsAsync();
        return listener => Task.FromResult<IDurableBackend>(new AzureStorageBackend(options, listener));
    }
}
