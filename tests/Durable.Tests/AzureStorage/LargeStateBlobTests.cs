using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Recording.Durable.Backends;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Tests.AzureStorage;

/// <summary>
/// A state too large for a table property lives in a blob. A long recording's state (its segment list) is that large for
/// hours, with an episode per segment event: each replaced state's blob must go, and the blobs of ended executions too.
/// </summary>
public sealed class LargeStateBlobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Lock = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EpisodesOfALargeState_LeaveOnlyTheCurrentStatesBlob()
    {
        var backend = new AzureStorageBackend(azurite.NewOptions());
        await backend.CreateIfNotExistsAsync();
        await backend.CreateInstanceAsync("long", new ExecutionStarted("Orch", "e1", null), DateTimeOffset.UtcNow);
        var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        await backend.CompleteOrchestrationWorkItemAsync(item!, new OrchestrationCommit(
            [item!.NewMessages[0].Event], [], [], item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running, CustomStatus = Progress(0) })
        {
            ConsumedMessageIds = [item.NewMessages[0].MessageId],
        });

        // Every episode takes the lock, commits a larger status and releases: three row writes each, all naming a large state.
        for (var segment = 1; segment <= 5; segment++)
        {
            await backend.SendMessagesAsync([new OrchestrationMessage("long", "e1", new EventRaised("segment-ready", null), $"segment-{segment}")]);
            var episode = await backend.LockNextOrchestrationWorkItemAsync(Lock);
            await backend.CompleteOrchestrationWorkItemAsync(episode!, new OrchestrationCommit(
                [episode!.NewMessages[0].Event], [], [], episode.State! with { CustomStatus = Progress(segment) })
            {
                ConsumedMessageIds = [episode.NewMessages[0].MessageId],
            });
        }

        var blobs = await BlobsOfAsync(backend, "long");
        var only = Assert.Single(blobs);
        Assert.StartsWith("long/state-", only, StringComparison.Ordinal);
        Assert.Equal(Progress(5), (await backend.GetInstanceAsync("long"))!.CustomStatus);
        var listed = await backend.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = "long", FetchInputsAndOutputs = true });
        Assert.Equal(Progress(5), Assert.Single(listed.Instances).CustomStatus);
    }

    [Fact]
    public async Task ContinueAsNew_DeletesTheBlobsOfTheEndedExecutionsLargeEvents()
    {
        var backend = new AzureStorageBackend(azurite.NewOptions());
        await backend.CreateIfNotExistsAsync();
        var largeInput = Progress(1);
        await backend.CreateInstanceAsync("carried", new ExecutionStarted("Orch", "e1", largeInput), DateTimeOffset.UtcNow);
        var item = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        await backend.CompleteOrchestrationWorkItemAsync(item!, new OrchestrationCommit(
            [item!.NewMessages[0].Event, new TimerCreated(0, DateTimeOffset.UnixEpoch)], [], [], item.State! with { RuntimeStatus = OrchestrationRuntimeStatus.Running })
        {
            ConsumedMessageIds = [item.NewMessages[0].MessageId],
        });
        var startRow = (await backend.Resources.History.GetEntityAsync<Azure.Data.Tables.TableEntity>("carried", "e1|00000000")).Value;
        var startBlob = startRow.GetString("EventBlob");
        Assert.NotNull(startBlob);
        Assert.Contains(startBlob, await BlobsOfAsync(backend, "carried"));
        Assert.Contains(await BlobsOfAsync(backend, "carried"), name => name.StartsWith("carried/state-", StringComparison.Ordinal));

        await backend.SendMessagesAsync([new OrchestrationMessage("carried", null, new EventRaised("next", null), "ev-next")]);
        var second = await backend.LockNextOrchestrationWorkItemAsync(Lock);
        await backend.CompleteOrchestrationWorkItemAsync(second!, new OrchestrationCommit(
            [new ExecutionStarted("Orch", "e2", "2")], [], [], second!.State! with { ExecutionId = "e2", Input = "2" })
        {
            ReplacesHistory = true,
            ConsumedMessageIds = [second.NewMessages[0].MessageId],
        });

        // e1's start (its large input) and e1's large state are gone; e2's are small enough for their rows. (The blob of the
        // start message that brought the input stays until purge, as Durable Functions keeps its large messages.)
        var left = await BlobsOfAsync(backend, "carried");
        Assert.DoesNotContain(startBlob, left);
        Assert.DoesNotContain(left, name => name.StartsWith("carried/state-", StringComparison.Ordinal));
        Assert.Equal("2", Assert.IsType<ExecutionStarted>(Assert.Single(await backend.GetHistoryAsync("carried"))).Input);
    }

    [Fact]
    public async Task AReadThatFindsTheStateBlobDeletedUnderIt_ReadsTheRowAgain()
    {
        var options = azurite.NewOptions();
        var resources = new TaskHubResources(options);
        await resources.CreateIfNotExistsAsync();
        var writer = new HistoryTable(resources.History, new LargePayloadStore(resources.Payloads, options.LargePayloadThresholdBytes));
        var first = new InstanceState("raced", "Orch", "e1", OrchestrationRuntimeStatus.Running, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow) { CustomStatus = Progress(1) };
        var etag = await writer.TryAddInstanceAsync(new InstanceRow("raced", "e1", 0, first, null, null, default));
        Assert.NotNull(etag);

        // Between this reader's row read and its blob read, a commit replaces the state and deletes the old blob, as the
        // backend does once both rows name the new state.
        var second = first with { CustomStatus = Progress(2) };
        var racing = new DownloadHook(resources.Payloads, async () =>
        {
            Assert.NotNull(await writer.TryReplaceInstanceAsync(new InstanceRow("raced", "e1", 0, second, null, null, etag.Value)));
            await new LargePayloadStore(resources.Payloads, options.LargePayloadThresholdBytes)
                .DeleteSupersededStateAsync("raced", DurableJson.Serialize(first), DurableJson.Serialize(second));
        });
        var reader = new HistoryTable(resources.History, new LargePayloadStore(racing, options.LargePayloadThresholdBytes));

        var row = await reader.ReadInstanceAsync("raced");

        Assert.Equal(1, racing.Hooked);
        Assert.Equal(Progress(2), row!.State!.CustomStatus);
    }

    [Fact]
    public async Task AQueryThatFindsAStateBlobDeletedUnderIt_ReadsThatRowAgain()
    {
        var options = azurite.NewOptions();
        var resources = new TaskHubResources(options);
        await resources.CreateIfNotExistsAsync();
        var store = new LargePayloadStore(resources.Payloads, options.LargePayloadThresholdBytes);
        var writer = new StatusTable(resources.Instances, store);
        var first = new InstanceState("listed", "Orch", "e1", OrchestrationRuntimeStatus.Running, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow) { CustomStatus = Progress(1) };
        await writer.UpsertAsync(first);

        var second = first with { CustomStatus = Progress(2) };
        var racing = new DownloadHook(resources.Payloads, async () =>
        {
            await writer.UpsertAsync(second);
            await store.DeleteSupersededStateAsync("listed", DurableJson.Serialize(first), DurableJson.Serialize(second));
        });
        var reader = new StatusTable(resources.Instances, new LargePayloadStore(racing, options.LargePayloadThresholdBytes));

        var page = await reader.QueryAsync(new InstanceQuery { InstanceIdPrefix = "listed", FetchInputsAndOutputs = true });

        Assert.Equal(1, racing.Hooked);
        Assert.Equal(Progress(2), Assert.Single(page.Instances).CustomStatus);
    }

    /// <summary>A custom status of about 55 KB that differs per segment count, as a recording's segment list does.</summary>
    private static string Progress(int segments)
        => System.Text.Json.JsonSerializer.Serialize(new { segments, list = Enumerable.Range(0, 800).Select(i => $"segment-{i:00000}.mp4 uploaded as part {segments} of a long recording") });

    private static async Task<List<string>> BlobsOfAsync(AzureStorageBackend backend, string instanceId)
    {
        var names = new List<string>();
        await foreach (var blob in backend.Resources.Payloads.GetBlobsAsync(new GetBlobsOptions { Prefix = instanceId + "/" }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>The real container, except that the first state blob asked for runs <paramref name="beforeDownload"/> first.</summary>
    private sealed class DownloadHook(BlobContainerClient real, Func<Task> beforeDownload) : BlobContainerClient
    {
        public int Hooked { get; private set; }

        public override BlobClient GetBlobClient(string blobName)
        {
            if (Hooked == 0 && blobName.Contains("/state-", StringComparison.Ordinal))
            {
                Hooked++;
                beforeDownload().GetAwaiter().GetResult();
            }

            return real.GetBlobClient(blobName);
        }
    }
}
