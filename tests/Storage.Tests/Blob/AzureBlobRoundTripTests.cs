using Recording.Storage.Tests.Faults;
using Recording.Storage.Tests.Support;
using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Blob;

/// <summary>Byte-exact round trips to Azurite via staged blocks, SAS URLs, and resume from uncommitted blocks.</summary>
public sealed class AzureBlobRoundTripTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const long MiB = 1024 * 1024;

    private static readonly UploadOptions Options = new()
    {
        MultipartThreshold = 5 * MiB,
        PartSize = 8 * MiB,
        Concurrency = 4,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(1L, 1)]
    [InlineData(5 * MiB - 1, 1)]
    [InlineData(5 * MiB + 1, 1)]
    public async Task Upload_ThenDownload_ReturnsTheSameBytes(long size, int expectedParts)
    {
        using var files = new TestFiles();
        var path = files.Create(size, seed: (ulong)size + 3);
        using var destination = await azurite.DestinationAsync(Options);
        var key = $"tenant-b/round-trip/{size}.m3u8";

        var result = await destination.UploadFileAsync(path, key);

        Assert.True(result.Verified, result.Verification);
        Assert.Equal(expectedParts, result.PartCount);
        await using var stream = await destination.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
        var head = await destination.HeadAsync(key);
        Assert.Equal("application/vnd.apple.mpegurl", head!.ContentType);
        Assert.Equal(result.Sha256, head.Sha256);
    }

    [Fact]
    public async Task Upload_200MiB_InBlocks_IsByteExact_AndSasUrlServesTheSameBytes()
    {
        using var files = new TestFiles();
        var path = LargeTestFile.LinkInto(files);
        using var destination = await azurite.DestinationAsync(Options with { PartSize = 16 * MiB });
        const string key = "tenant-b/big/200.mp4";

        var result = await destination.UploadFileAsync(path, key);

        Assert.True(result.Verified);
        Assert.Equal(13, result.PartCount);
        Assert.Contains("block-list", result.Verification, StringComparison.Ordinal);
        var url = await destination.GetReadUrlAsync(key, TimeSpan.FromMinutes(5));
        Assert.Contains("sig=", url!.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        await ByteAssert.SameBytesAsync(path, body);
    }

    [Fact]
    public async Task UploaderStoppedHalfWay_ThenRestarted_ResumesFromUncommittedBlocks()
    {
        await using var proxy = FaultInjectingProxy.Start(azurite.BlobEndpoint, seed: 5);
        using var files = new TestFiles();
        var path = files.Create(48 * MiB + 7, seed: 48); // 7 blocks of 8 MiB
        const string key = "tenant-b/resume/48.mp4";
        var options = Options with { Concurrency = 2 };
        HashSet<int> stored;
        using (var first = await azurite.DestinationAsync(options, proxy.Endpoint))
        {
            stored = await InterruptedUpload.StopAfterAsync(first, path, key, parts: 3);
        }

        Assert.InRange(stored.Count, 3, 6);
        proxy.ResetCounts();

        using var second = await azurite.DestinationAsync(options, proxy.Endpoint);
        var result = await second.UploadFileAsync(path, key);

        Assert.True(result.Verified);
        Assert.Equal(stored.Count, result.PartsResumed);
        Assert.DoesNotContain(proxy.PartNumbersSeen, stored.Contains);
        Assert.Equal(7 - stored.Count, proxy.Count("PutBlock"));
        await using var stream = await second.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
    }

    [Fact]
    public async Task Upload200MiB_Through20PercentServerErrorsAnd5PercentDroppedConnections_CompletesByteExact()
    {
        await using var proxy = FaultInjectingProxy.Start(azurite.BlobEndpoint, seed: 11);
        proxy.FailureRate = 0.20;
        proxy.DropRate = 0.05;
        using var files = new TestFiles();
        var path = LargeTestFile.LinkInto(files);
        using var destination = await azurite.DestinationAsync(Options with { PartSize = 16 * MiB, MaxRetries = 20 }, proxy.Endpoint);

        var result = await destination.UploadFileAsync(path, "tenant-b/faults/200.mp4");

        Assert.True(result.Verified);
        Assert.True(proxy.Injected > 0);
        Assert.True(destination.RetryCount > 0, "faults were met by retries");
        proxy.FailureRate = 0;
        proxy.DropRate = 0;
        await using var stream = await destination.OpenReadAsync("tenant-b/faults/200.mp4");
        await ByteAssert.SameBytesAsync(path, stream);
    }

    [Fact]
    public async Task RangeRead_ListByPrefix_AndDelete_Work()
    {
        using var files = new TestFiles();
        var path = files.Create(100_000, seed: 9);
        using var destination = await azurite.DestinationAsync(Options);
        await destination.UploadFileAsync(path, "tenant-b/list/a.ts");
        await destination.UploadFileAsync(path, "tenant-b/list/b.ts");
        await destination.UploadFileAsync(path, "tenant-b/other/c.ts");

        await using (var range = await destination.OpenReadAsync("tenant-b/list/a.ts", new Storage.Destinations.ByteRange(1000, 1999)))
        {
            await ByteAssert.SameBytesAsync(path, 1000, 1000, range);
        }

        var listed = new List<string>();
        await foreach (var item in destination.ListAsync("tenant-b/list/"))
        {
            listed.Add(item.Key);
        }

        Assert.Equal(["tenant-b/list/a.ts", "tenant-b/list/b.ts"], listed);
        Assert.True(await destination.DeleteAsync("tenant-b/list/a.ts"));
        Assert.False(await destination.DeleteAsync("tenant-b/list/a.ts"));
        Assert.Null(await destination.HeadAsync("tenant-b/list/a.ts"));
    }
}
