using System.Security.Cryptography;
using System.Text.Json;
using Recording.Durable.Activities;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Storage;
using Recording.Functions.Tests.EndToEnd;
using Recording.Storage.Keys;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Activities;

/// <summary>The segment upload's shortcut for an object already stored, on real s3rver.</summary>
public sealed class UploadSegmentTests
{
    [Fact]
    public async Task AnObjectWithTheSegmentsDigestButNotItsSize_IsUploadedAgain_NotTakenAsStored()
    {
        await using var s3 = await S3rverServer.StartAsync(RecordingRig.Bucket);
        var data = Directory.CreateTempSubdirectory("upload-segment-").FullName;
        var destinations = LocalDestinations.At(data);
        var target = new AssetTarget("rec-seg", null, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), JsonSerializer.Deserialize<JsonElement>(RecordingRig.S3Destination(s3).ToJsonString()));
        var segment = Path.Combine(data, "segment_00003.mp4");
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(segment, bytes);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var key = destinations.Key(target, ObjectKind.Segments, "segment_00003.mp4");

        // What an interrupted upload can leave: the digest metadata is set when the upload starts, and the object is empty
        // (s3rver rewrites it so on a retried Complete).
        await ForeignBucketWriter.PutWithDigestAsync(s3, key, [], sha256);

        var uploaded = await new UploadSegment(destinations).RunAsync(
            new TaskActivityContext(nameof(UploadSegment), "rec-seg", 1, 1, CancellationToken.None),
            new UploadSegmentInput(target, segment, sha256));

        Assert.Equal((key, 300_000L, sha256), (uploaded.Key, uploaded.Bytes, uploaded.Sha256));
        using var bucket = await destinations.OpenAsync(target);
        await using var stored = await bucket.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }
}
