using Recording.Storage.Blob;
using Recording.Storage.Destinations;
using Recording.Storage.Upload;
using Recording.TestSupport;

namespace Recording.Storage.Tests.Support;

/// <summary>The run's shared Azurite (see <see cref="SharedServers"/>), with a container "recordings".</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Container = "recordings";

    public AzuriteServer Server { get; private set; } = null!;

    public string BlobEndpoint => $"http://127.0.0.1:{Server.BlobPort}";

    public AzureBlobDestinationSettings Settings(string? blobEndpoint = null, string container = Container, string? accountKey = null) => new()
    {
        Container = container,
        AccountName = AzuriteServer.AccountName,
        AccountKey = new Secret(accountKey ?? AzuriteServer.AccountKey),
        ServiceUri = new Uri($"{blobEndpoint ?? BlobEndpoint}/{AzuriteServer.AccountName}"),
        Prefix = "tenant-b",
    };

    public Task<AzureBlobStorageDestination> DestinationAsync(UploadOptions? options = null, string? blobEndpoint = null)
        => AzureBlobStorageDestination.CreateAsync(Settings(blobEndpoint), options);

    public async Task InitializeAsync()
    {
        Server = await SharedServers.AzuriteAsync();
        using var destination = await DestinationAsync();
        await destination.Container.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask; // stopped with the test process
}
