using Recording.Durable.Backends.AzureStorage;

namespace Recording.Durable.Tests.AzureStorage;

/// <summary>The parts of the Azure Storage backend that do not need an orchestration: partitioning, names, payload offload.</summary>
public sealed class PlumbingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public void PartitionOf_IsStableAcrossProcessesAndSpreadsIds()
    {
        // Fixed expectations: XxHash32 of the UTF-8 id is the same in every process, unlike string.GetHashCode.
        Assert.Equal(ControlQueuePartitioner.PartitionOf("recording-1", 4), ControlQueuePartitioner.PartitionOf("recording-1", 4));
        var counts = new int[4];
        for (var i = 0; i < 400; i++)
        {
            counts[ControlQueuePartitioner.PartitionOf($"recording-{i}", 4)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 60, 140));
        Assert.Equal(System.IO.Hashing.XxHash32.HashToUInt32("abc"u8) % 16, (uint)ControlQueuePartitioner.PartitionOf("abc", 16));
    }

    [Fact]
    public async Task LargePayloadStore_OffloadsOnlyLargeTextAndReturnsTheSameBytes()
    {
        var resources = new TaskHubResources(azurite.NewOptions());
        await resources.CreateIfNotExistsAsync();
        var store = new LargePayloadStore(resources.Payloads, 45 * 1024);

        var small = await store.StoreAsync("inst/../1", "\"small\"");
        Assert.Equal("\"small\"", small.Inline);
        Assert.Null(small.BlobName);

        var large = "\"" + string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26)) + "é")) + "\"";
        var stored = await store.StoreAsync("inst/../1", large);
        Assert.Null(stored.Inline);
        Assert.StartsWith("inst%2F%2E%2E%2F1/", stored.BlobName, StringComparison.Ordinal);
        Assert.Equal(large, await store.LoadAsync(stored.Inline, stored.BlobName));

        Assert.Equal(1, await store.DeleteInstanceAsync("inst/../1"));
        Assert.Equal(0, await store.DeleteInstanceAsync("inst/../1"));
    }

    [Fact]
    public void Validate_NamesTheSettingThatBreaksItsRule()
    {
        var options = azurite.NewOptions(o => o.TaskHubName = "bad-name");
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.StartsWith("TaskHubName:", error.Message, StringComparison.Ordinal);

        options = azurite.NewOptions(o => o.MaxTimerMessageDelay = TimeSpan.FromDays(8));
        Assert.StartsWith("MaxTimerMessageDelay:", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);

        options = new AzureStorageBackendOptions();
        Assert.StartsWith("ConnectionString:", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }
}
