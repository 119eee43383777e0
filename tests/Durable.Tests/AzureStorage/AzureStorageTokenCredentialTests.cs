using Azure;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.Instances;
using Recording.Durable.Registry;
using Recording.Durable.Tests.Conformance;
using Recording.TestSupport;

namespace Recording.Durable.Tests.AzureStorage;

/// <summary>
/// The Azure Storage backend without a key, as a managed identity reaches Azure Storage: service URIs and a token credential,
/// against Azurite over HTTPS with its OAuth check on (issuer, audience, lifetime of every bearer token).
/// </summary>
public sealed class AzureStorageTokenCredentialTests : IAsyncLifetime
{
    private AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartWithOAuthAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task WithATokenCredential_AnOrchestrationRunsThroughQueuesTablesAndBlobs()
    {
        var credential = new UnsignedTokenCredential();
        var backend = new AzureStorageBackend(Options(credential, payloadThreshold: 1024));
        await backend.CreateIfNotExistsAsync();
        var registry = new DurableTaskRegistry()
            .AddActivityFunc<string, string>("Echo", (_, text) => Task.FromResult(text.ToUpperInvariant()))
            .AddOrchestratorFunc<string, string>("Shout", async (context, text) => await context.CallActivityAsync<string>("Echo", text));
        await using var host = await EngineHost.StartAsync(backend, registry);

        // Over the payload threshold, so the input and the result travel through the blob container too.
        var text = string.Concat(Enumerable.Repeat("keyless ", 400));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Shout", text);
        var done = await host.WaitAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(text.ToUpperInvariant(), done.ReadOutputAs<string>());
        Assert.True(credential.Issued > 0, "the clients asked the credential for tokens");
        var blobs = 0;
        await foreach (var _ in backend.Resources.Payloads.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions()))
        {
            blobs++;
        }

        Assert.True(blobs > 0, "the large input went through the blob container");
    }

    [Fact]
    public async Task ATokenForAnotherAudience_IsRefusedByQueuesTablesAndBlobs_SoTheTokensAreReallyChecked()
    {
        var backend = new AzureStorageBackend(Options(new UnsignedTokenCredential("https://management.azure.com"), payloadThreshold: 45 * 1024));

        var queue = await Assert.ThrowsAsync<RequestFailedException>(() => backend.Resources.WorkItemQueue.CreateIfNotExistsAsync());
        var table = await Assert.ThrowsAsync<RequestFailedException>(() => backend.Resources.History.CreateIfNotExistsAsync());
        var blob = await Assert.ThrowsAsync<RequestFailedException>(() => backend.Resources.Payloads.CreateIfNotExistsAsync());

        // The table client does not always parse Azurite's error code; the status is the same for all three.
        Assert.Equal([403, 403, 403], new[] { queue.Status, table.Status, blob.Status });
        Assert.Equal(("AuthenticationFailed", "AuthenticationFailed"), (queue.ErrorCode, blob.ErrorCode));
    }

    private AzureStorageBackendOptions Options(UnsignedTokenCredential credential, int payloadThreshold) => new()
    {
        QueueServiceUri = azurite.QueueServiceUri,
        TableServiceUri = azurite.TableServiceUri,
        BlobServiceUri = azurite.BlobServiceUri,
        Credential = credential,
        Transport = azurite.TrustingTransport,
        TaskHubName = "keyless" + Guid.NewGuid().ToString("N")[..8],
        LargePayloadThresholdBytes = payloadThreshold,
        MinPollingInterval = TimeSpan.FromMilliseconds(5),
        MaxPollingInterval = TimeSpan.FromMilliseconds(100),
    };
}
