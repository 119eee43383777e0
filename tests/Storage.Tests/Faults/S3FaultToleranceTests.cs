using Recording.Storage.Tests.Support;
using Recording.Storage.Upload;
using Recording.TestSupport;

namespace Recording.Storage.Tests.Faults;

/// <summary>Uploads through <see cref="FaultInjectingProxy"/> in front of s3rver: retries, resume, integrity.</summary>
public sealed class S3FaultToleranceTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private const long MiB = 1024 * 1024;

    /// <summary>8 MiB parts, fast backoff and many retries: the settings of the S3 tests that go through the fault proxy.</summary>
    internal static readonly UploadOptions FastRetries = new()
    {
        MultipartThreshold = 8 * MiB,
        PartSize = 8 * MiB,
        Concurrency = 4,
        MaxRetries = 20,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Upload200MiB_Through20PercentServerErrorsAnd5PercentDroppedConnections_CompletesByteExact()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 2024);
        proxy.FailureRate = 0.20;
        proxy.DropRate = 0.05;
        using var files = new TestFiles();
        var path = LargeTestFile.LinkInto(files);
        using var destination = await s3.DestinationAsync(FastRetries with { PartSize = 16 * MiB }, endpoint: proxy.Endpoint);
        const string key = "tenant-a/faults/200.ts";

        var result = await destination.UploadFileAsync(path, key);

        Assert.True(result.Verified, result.Verification);
        Assert.True(proxy.Injected > 0, "the proxy injected faults");
        Assert.True(destination.RetryCount >= proxy.Injected - proxy.Count("HeadObject"), $"retries {destination.RetryCount}, injected {proxy.Injected}");
        proxy.FailureRate = 0;
        proxy.DropRate = 0;
        using var direct = await s3.DestinationAsync();
        await using var stream = await direct.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
    }

    [Fact]
    public async Task UploaderStoppedHalfWay_ThenRestarted_ResumesWithoutResendingStoredParts()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 7);
        using var files = new TestFiles();
        var path = files.Create(64 * MiB + 12345, seed: 64); // 9 parts of 8 MiB
        const string key = "tenant-a/resume/64.ts";
        var options = FastRetries with { Concurrency = 2 };

        HashSet<int> stored;
        using (var first = await s3.DestinationAsync(options, endpoint: proxy.Endpoint))
        {
            stored = await InterruptedUpload.StopAfterAsync(first, path, key, parts: 4);
        }

        Assert.InRange(stored.Count, 4, 8);
        proxy.ResetCounts();

        using var second = await s3.DestinationAsync(options, endpoint: proxy.Endpoint);
        var result = await second.UploadFileAsync(path, key);

        Assert.True(result.Verified);
        Assert.Equal(stored.Count, result.PartsResumed);
        var resent = proxy.PartNumbersSeen.Where(stored.Contains).ToList();
        Assert.True(resent.Count == 0, "parts already stored were sent again: " + string.Join(",", resent));
        Assert.Equal(9 - stored.Count, proxy.Count("UploadPart"));
        Assert.Equal(0, proxy.Count("CreateMultipartUpload"));
        await using var stream = await second.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
        LocalFileRelease.DeleteAfterVerifiedUpload(result, path);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(UploadStateFile.PathFor(path)));
    }

    [Theory]
    [InlineData(1000, false)] // one page
    [InlineData(2, false)] // pages of two parts, followed by their markers
    [InlineData(1000, true)] // every page "truncated" without a next marker: following that would ask for ever
    public async Task Resume_AdoptsTheStoredPartsThatListPartsGives_PageByPage_AndStopsWhereThePagingIsBroken(int pageSize, bool brokenPaging)
    {
        // Two proxies share one listing: the first holds the parts after the 4th, so the store gets exactly parts 1-4, and
        // keeps holding any that arrive late; the second sees only the resumed upload's requests.
        var listing = new EmulatedPartListing { PageSize = pageSize };
        await using var holdingProxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 9);
        holdingProxy.PartListing = listing;
        holdingProxy.HoldUploadPartsAfter = 4;
        using var files = new TestFiles();
        var path = files.Create(64 * MiB + 4321, seed: 66); // 9 parts of 8 MiB
        var key = $"tenant-a/resume-listing-{pageSize}-{brokenPaging}/64.ts";
        var options = FastRetries with { Concurrency = 2 };

        HashSet<int> stored;
        using (var first = await s3.DestinationAsync(options, endpoint: holdingProxy.Endpoint))
        {
            stored = await InterruptedUpload.StopAfterAsync(first, path, key, parts: 4);
        }

        Assert.Equal([1, 2, 3, 4], stored.Order());
        Assert.Equal(4, listing.PartsStored);
        listing.BrokenPaging = brokenPaging;
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 10);
        proxy.PartListing = listing;
        using var second = await s3.DestinationAsync(options, endpoint: proxy.Endpoint);
        var result = await second.UploadFileAsync(path, key);

        Assert.True(result.Verified, result.Verification);
        Assert.Equal(brokenPaging ? 1 : (4 + pageSize - 1) / pageSize, proxy.Count("ListParts"));
        Assert.Equal(4, result.PartsResumed);
        Assert.Equal([5, 6, 7, 8, 9], proxy.PartNumbersSeen.Order());
        await using var stream = await second.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
    }

    [Fact]
    public async Task UploaderProcessKilledHalfWay_WithPartsInFlight_ThenRestarted_ResumesWithoutResendingStoredParts()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 8);
        proxy.HoldUploadPartsAfter = 4; // parts 5 and on hang mid-request, so the kill lands with parts in flight
        using var files = new TestFiles();
        var path = files.Create(64 * MiB + 12345, seed: 65); // 9 parts of 8 MiB
        const string key = "tenant-a/resume-kill/64.ts";

        await using (var child = ManagedProcess.Start("dotnet", [typeof(UploaderProcess).Assembly.Location, "upload", proxy.Endpoint, path, key, "8", "3"]))
        {
            await Eventually.UntilAsync(
                () => proxy.Held >= 1 && UploadStateFile.TryLoad(path)?.Parts.Count >= 4 || child.HasExited,
                TimeSpan.FromSeconds(90), "four parts stored and the next ones in flight");
            Assert.False(child.HasExited, "the uploader ended before it was killed:\n" + child.Tail());
            child.Signal(Posix.SigKill);
            Assert.Equal(128 + Posix.SigKill, await child.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain(child.Lines, line => line.StartsWith("verified", StringComparison.Ordinal));
        }

        var state = UploadStateFile.TryLoad(path);
        Assert.NotNull(state);
        var stored = state!.Parts.Select(p => p.PartNumber).ToHashSet();
        Assert.Equal(4, stored.Count);
        Assert.True(proxy.Held >= 1, "parts were in flight when the uploader was killed");
        proxy.HoldUploadPartsAfter = null;
        proxy.ResetCounts();

        using var second = await s3.DestinationAsync(FastRetries, endpoint: proxy.Endpoint);
        var result = await second.UploadFileAsync(path, key);

        Assert.True(result.Verified, result.Verification);
        Assert.Equal(4, result.PartsResumed);
        var resent = proxy.PartNumbersSeen.Where(stored.Contains).ToList();
        Assert.True(resent.Count == 0, "parts already stored were sent again: " + string.Join(",", resent));
        Assert.Equal(9 - 4, proxy.Count("UploadPart"));
        Assert.Equal(0, proxy.Count("CreateMultipartUpload"));
        await using var stream = await second.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
    }

    [Fact]
    public async Task StateFileOfADifferentFile_IsIgnored_AndTheUploadStartsOver()
    {
        using var files = new TestFiles();
        var path = files.Create(17 * MiB, seed: 1);
        const string key = "tenant-a/stale/x.ts";
        UploadStateFile.Save(path, new UploadState
        {
            Destination = "s3://" + S3rverFixture.Bucket,
            Key = key,
            UploadId = "does-not-exist",
            FileSize = 17 * MiB,
            FileSha256 = new string('0', 64),
            PartSize = 8 * MiB,
            Parts = [new CompletedPart(1, "\"abc\"", "abc", 8 * MiB)],
        });
        using var destination = await s3.DestinationAsync(FastRetries);

        var result = await destination.UploadFileAsync(path, key);

        Assert.True(result.Verified);
        Assert.Equal(0, result.PartsResumed);
        await using var stream = await destination.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
    }

    [Fact]
    public async Task FailedUpload_KeepsTheLocalFileAndItsState_UntilAVerifiedRetryReleasesIt()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 3);
        proxy.DeniedOperation = "CompleteMultipartUpload";
        using var files = new TestFiles();
        var path = files.Create(24 * MiB + 1, seed: 24); // 4 parts of 8 MiB
        const string key = "tenant-a/release/24.ts";
        using var destination = await s3.DestinationAsync(FastRetries, endpoint: proxy.Endpoint);

        var error = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => destination.UploadFileAsync(path, key));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.True(File.Exists(path), "a file whose upload failed must stay");
        Assert.Equal(4, UploadStateFile.TryLoad(path)!.Parts.Count);
        Assert.Null(await destination.HeadAsync(key));

        proxy.DeniedOperation = null;
        proxy.ResetCounts();
        var result = await destination.UploadFileAsync(path, key);

        Assert.True(result.Verified);
        Assert.Equal(4, result.PartsResumed);
        Assert.Equal(0, proxy.Count("UploadPart"));
        LocalFileRelease.DeleteAfterVerifiedUpload(result, path);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(UploadStateFile.PathFor(path)));
    }

    [Fact]
    public void LocalFileRelease_RefusesAFileThatChangedSinceItsVerifiedUpload()
    {
        using var files = new TestFiles();
        var path = files.Create(10);
        var verified = new UploadResult("k", 9, "x", Verified: true, "size", 1, 0, null);

        var error = Assert.Throws<InvalidOperationException>(() => LocalFileRelease.DeleteAfterVerifiedUpload(verified, path));

        Assert.Contains("10 bytes now", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void LocalFileRelease_RefusesAnUnverifiedUpload()
    {
        using var files = new TestFiles();
        var path = files.Create(10);
        var unverified = new UploadResult("k", 10, "x", Verified: false, "not checked", 1, 0, null);

        Assert.Throws<InvalidOperationException>(() => LocalFileRelease.DeleteAfterVerifiedUpload(unverified, path));
        Assert.True(File.Exists(path));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"abc\"")]
    public async Task Read_WhenTheStoreAnswersAnETagThatIsNotAnMd5_StillReturnsTheSameBytes(string etag)
    {
        using var files = new TestFiles();
        var path = files.Create(3 * MiB + 5, seed: 99);
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 9);
        using var destination = await s3.DestinationAsync(FastRetries, endpoint: proxy.Endpoint);
        const string key = "tenant-a/odd-etag/a.mp4";
        await destination.UploadFileAsync(path, key);
        proxy.GetObjectETag = etag;

        await using var stream = await destination.OpenReadAsync(key);

        await ByteAssert.SameBytesAsync(path, stream);
        Assert.Equal(2, proxy.Count("GetObject")); // the whole-object GET, then the same bytes as a range
    }
}
