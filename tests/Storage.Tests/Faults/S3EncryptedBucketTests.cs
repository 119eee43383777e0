using Recording.Storage.Integrity;
using Recording.Storage.Tests.Support;
using Recording.Storage.Upload;
using Recording.TestSupport;

namespace Recording.Storage.Tests.Faults;

/// <summary>
/// Uploads to a bucket whose default encryption is SSE-KMS, where S3's ETags are not the MD5 of the bytes: s3rver behind
/// <see cref="FaultInjectingProxy.EmulateKmsEncryption"/>. Comparing those ETags with our MD5 refused every upload.
/// </summary>
public sealed class S3EncryptedBucketTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private const long MiB = 1024 * 1024;

    private static readonly UploadOptions Options = S3FaultToleranceTests.FastRetries with { Concurrency = 2 };

    [Theory]
    [InlineData(3 * MiB + 7, false)]
    [InlineData(20 * MiB + 3, true)]
    public async Task Upload_ToAKmsEncryptedBucket_IsVerifiedWithoutReadingBack_AndStoresTheSameBytes(long size, bool multipart)
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 31);
        proxy.EmulateKmsEncryption = true;
        using var files = new TestFiles();
        var path = files.Create(size, seed: 31);
        using var destination = await s3.DestinationAsync(Options, endpoint: proxy.Endpoint);
        var key = $"tenant-a/kms/{size}.mp4";

        var result = await destination.UploadFileAsync(path, key);

        Assert.True(result.Verified, result.Verification);
        Assert.Equal(multipart ? 3 : 1, result.PartCount);
        Assert.Equal(multipart ? 3 : 0, proxy.Count("UploadPart"));
        Assert.Contains("content-md5(aws:kms)", result.Verification, StringComparison.Ordinal);
        Assert.Equal(0, destination.RetryCount);
        // Verified on what S3 checked (every request's Content-MD5), not by downloading the object again.
        Assert.Equal(0, proxy.Count("GetObject"));
        // The client saw what S3 shows under SSE-KMS: an ETag that is neither the file's MD5 nor the MD5 of its parts' MD5s.
        var head = await destination.HeadAsync(key);
        var digest = await FileDigest.ComputeAsync(path, Options.PartSize);
        Assert.Equal("aws:kms", head!.Encryption);
        Assert.NotEqual(digest.Md5Hex, head.ETag);
        Assert.NotEqual(digest.MultipartETag, head.ETag);
        await using var stream = await destination.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
    }

    [Theory]
    [InlineData(false)] // the parts from the state file (s3rver has no ListParts)
    [InlineData(true)] // the parts from ListParts, whose ETags are not MD5s either
    public async Task UploaderStoppedHalfWay_OnAKmsEncryptedBucket_ResumesWithTheETagsS3Answered_WithoutResendingStoredParts(bool listParts)
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint, seed: 32);
        proxy.EmulateKmsEncryption = true;
        proxy.PartListing = listParts ? new EmulatedPartListing() : null;
        using var files = new TestFiles();
        var path = files.Create(48 * MiB + 5, seed: 32); // 7 parts of 8 MiB
        var key = $"tenant-a/kms/resume-{listParts}.mp4";

        HashSet<int> stored;
        using (var first = await s3.DestinationAsync(Options, endpoint: proxy.Endpoint))
        {
            stored = await InterruptedUpload.StopAfterAsync(first, path, key, parts: 3);
        }

        Assert.InRange(stored.Count, 3, 6);
        proxy.ResetCounts();

        using var second = await s3.DestinationAsync(Options, endpoint: proxy.Endpoint);
        var result = await second.UploadFileAsync(path, key);

        Assert.True(result.Verified, result.Verification);
        Assert.Equal(stored.Count, result.PartsResumed);
        Assert.DoesNotContain(proxy.PartNumbersSeen, stored.Contains);
        Assert.Equal(7 - stored.Count, proxy.Count("UploadPart"));
        Assert.Equal(listParts ? 1 : 0, proxy.PartListing?.Answers ?? 0);
        await using var stream = await second.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
    }
}
