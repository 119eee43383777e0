using Recording.Storage.Assembly;
using Recording.Storage.Destinations;
using Recording.Storage.Tests.Faults;
using Recording.Storage.Tests.Support;

namespace Recording.Storage.Tests.Assembly;

/// <summary>
/// Joining byte-concatenable segments: UploadPartCopy where it is correct (sources of at least 5 MiB, an endpoint
/// that implements it), download and upload where it is not, refusal for formats a byte join would corrupt.
/// </summary>
public sealed class ObjectConcatenatorTests(S3rverFixture s3, AzuriteFixture azurite) : IClassFixture<S3rverFixture>, IClassFixture<AzuriteFixture>
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task S3_LargeSources_AreJoinedServerSide_WithoutDownloadingThem()
    {
        using var files = new TestFiles();
        var (keys, expected) = await StoreSourcesAsync(files, "copy", [6 * MiB, 5 * MiB, 123]);
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        proxy.EmulateUploadPartCopy = true;
        using var destination = await s3.DestinationAsync(endpoint: proxy.Endpoint);

        var result = await new ObjectConcatenator(destination).ConcatenateAsync(keys, "tenant-a/join/copy/all.ts");

        Assert.Equal(ConcatenationMethod.ServerSideCopy, result.Method);
        Assert.Equal(6 * MiB + 5 * MiB + 123, result.Bytes);
        Assert.Contains("part-etags(3/3)", result.Verification, StringComparison.Ordinal);
        Assert.Equal(3, proxy.Count("UploadPartCopy"));
        Assert.Equal(0, proxy.Count("GetObject"));
        Assert.Equal(0, proxy.Count("UploadPart"));
        await AssertStoredAsync(expected, "tenant-a/join/copy/all.ts", "video/mp2t");
    }

    [Fact]
    public async Task S3_EndpointWithoutUploadPartCopy_FallsBackToDownloadAndUpload_AfterOneAttempt()
    {
        using var files = new TestFiles();
        var (keys, expected) = await StoreSourcesAsync(files, "fallback", [5 * MiB, 7 * MiB + 5]);
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint); // s3rver answers UploadPartCopy 501 NotImplemented
        using var destination = await s3.DestinationAsync(endpoint: proxy.Endpoint);

        var result = await new ObjectConcatenator(destination).ConcatenateAsync(keys, "tenant-a/join/fallback/all.ts");

        Assert.Equal(ConcatenationMethod.DownloadAndUpload, result.Method);
        Assert.Contains("UploadPartCopy", result.FallbackReason, StringComparison.Ordinal);
        // Two parts are copied in parallel; each is tried once, as a 501 is not retried (a retry would add up to 8 more).
        Assert.InRange(proxy.Count("UploadPartCopy"), 1, 2);
        Assert.Equal(1, proxy.Count("AbortMultipartUpload"));
        Assert.Equal(2, proxy.Count("GetObject"));
        await AssertStoredAsync(expected, "tenant-a/join/fallback/all.ts", "video/mp2t");
    }

    [Fact]
    public async Task S3_SourcesUnderTheFiveMiBPartMinimum_AreNotCopiedServerSide()
    {
        using var files = new TestFiles();
        var (keys, expected) = await StoreSourcesAsync(files, "small", [MiB, 2 * MiB + 1, 3]);
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        proxy.EmulateUploadPartCopy = true;
        using var destination = await s3.DestinationAsync(endpoint: proxy.Endpoint);

        var result = await new ObjectConcatenator(destination).ConcatenateAsync(keys, "tenant-a/join/small/all.ts");

        Assert.Equal(ConcatenationMethod.DownloadAndUpload, result.Method);
        Assert.Contains("5 MiB", result.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Count("UploadPartCopy"));
        await AssertStoredAsync(expected, "tenant-a/join/small/all.ts", "video/mp2t");
    }

    [Theory]
    [InlineData("a.mp4", "b.mp4", "all.mp4", ByteConcatenableFormats.RuleFormat)]
    [InlineData("a.flv", "b.flv", "all.flv", ByteConcatenableFormats.RuleFormat)]
    [InlineData("a.ts", "b.mp4", "all.ts", ByteConcatenableFormats.RuleSameFormat)]
    public async Task FormatsThatAByteJoinWouldCorrupt_AreRefusedByRule_BeforeAnyRequest(string first, string second, string target, string rule)
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        using var destination = await s3.DestinationAsync(endpoint: proxy.Endpoint);

        var error = await Assert.ThrowsAsync<ConcatenationRefusedException>(
            () => new ObjectConcatenator(destination).ConcatenateAsync(["tenant-a/j/" + first, "tenant-a/j/" + second], "tenant-a/j/" + target));

        Assert.Equal(rule, error.Rule);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Count("HeadObject"));
    }

    [Fact]
    public async Task Blob_SourcesAreJoinedByDownloadAndUpload_ByteExact()
    {
        using var files = new TestFiles();
        var a = files.Create(3 * MiB + 1, seed: 31, name: "a.ts");
        var b = files.Create(2 * MiB, seed: 32, name: "b.ts");
        var expected = Concatenate(files, a, b);
        using var blob = await azurite.DestinationAsync();
        await blob.UploadFileAsync(a, "tenant-b/join/a.ts");
        await blob.UploadFileAsync(b, "tenant-b/join/b.ts");

        var result = await new ObjectConcatenator(blob).ConcatenateAsync(["tenant-b/join/a.ts", "tenant-b/join/b.ts"], "tenant-b/join/all.ts");

        Assert.Equal(ConcatenationMethod.DownloadAndUpload, result.Method);
        Assert.Equal(5 * MiB + 1, result.Bytes);
        await using var stream = await blob.OpenReadAsync("tenant-b/join/all.ts");
        await ByteAssert.SameBytesAsync(expected, stream);
        Assert.Equal("video/mp2t", (await blob.HeadAsync("tenant-b/join/all.ts"))!.ContentType);
    }

    private async Task<(List<string> Keys, string Expected)> StoreSourcesAsync(TestFiles files, string name, long[] sizes)
    {
        using var direct = await s3.DestinationAsync();
        var keys = new List<string>();
        var paths = new List<string>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var path = files.Create(sizes[i], seed: (ulong)(i + 1), name: $"{name}-{i}.ts");
            var key = $"tenant-a/join/{name}/seg-{i}.ts";
            await direct.UploadFileAsync(path, key);
            keys.Add(key);
            paths.Add(path);
        }

        return (keys, Concatenate(files, [.. paths]));
    }

    private static string Concatenate(TestFiles files, params string[] paths)
    {
        var joined = files.PathFor("expected-" + Guid.NewGuid().ToString("N") + ".ts");
        using var target = File.Create(joined);
        foreach (var path in paths)
        {
            using var source = File.OpenRead(path);
            source.CopyTo(target);
        }

        return joined;
    }

    private async Task AssertStoredAsync(string expectedPath, string key, string contentType)
    {
        using var direct = await s3.DestinationAsync();
        await using (var stream = await direct.OpenReadAsync(key))
        {
            await ByteAssert.SameBytesAsync(expectedPath, stream);
        }

        Assert.Equal(contentType, (await direct.HeadAsync(key))!.ContentType);
    }
}
