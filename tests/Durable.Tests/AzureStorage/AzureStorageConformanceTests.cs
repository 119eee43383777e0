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
}
