using System.Text.Json;
using Recording.Durable.Activities;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Storage;
using Recording.Functions.Tests.EndToEnd;
using Recording.Media.Ffmpeg;
using Recording.Media.Packaging;
using Recording.Storage.Keys;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Activities;

/// <summary>
/// The fallback HLS package, made from the spliced file after packaging segment by segment while recording was given up:
/// it must leave in the bucket exactly its own playlist and segments, so a player never meets a piece from the
/// abandoned way. Real s3rver, real ffmpeg.
/// </summary>
public sealed class PackageHlsTests
{
    [Fact]
    public async Task AfterPiecesFromAnAbandonedLivePackage_TheBucketHoldsExactlyTheNewPackageByteForByte()
    {
        await using var s3 = await S3rverServer.StartAsync(RecordingRig.Bucket);
        var (data, destinations, target) = Destination(s3, "rec-hls-fallback");
        var folder = destinations.Folder(target, ObjectKind.Hls);
        var spliced = Path.Combine(data, "spliced.mp4");
        await new FfmpegRunner().RunAsync([
            "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "14",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-c:a", "aac", "-b:a", "64k", spliced]);
        using (var bucket = await destinations.OpenAsync(target))
        {
            // What the live way had uploaded before it was given up: pieces named after capture segments, and a playlist.
            await bucket.PutBytesAsync(folder + "/s00000_00000.ts", "a piece from the live way"u8.ToArray());
            await bucket.PutBytesAsync(folder + "/s00001_00000.ts", "another piece"u8.ToArray());
            await bucket.PutBytesAsync(folder + "/index.m3u8", "#EXTM3U\n#EXT-X-VERSION:3\ns00000_00000.ts\n"u8.ToArray());
        }

        var work = Path.Combine(data, "work");
        var output = await new PackageHls(new HlsAssetUploader(destinations)).RunAsync(
            new TaskActivityContext(nameof(PackageHls), "rec-hls-fallback", 1, 1, CancellationToken.None),
            new PostProcessInput(target, Path.Combine(data, "capture"), work) { SplicedPath = spliced });

        var local = Path.Combine(work, "hls");
        var expected = Directory.GetFiles(local).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("index.m3u8", expected);
        Assert.True(expected.Count >= 3, $"a 14 s VOD in 6 s segments: {string.Join(", ", expected)}");
        using var check = await destinations.OpenAsync(target);
        var stored = new List<string>();
        await foreach (var item in check.ListAsync(folder + "/"))
        {
            stored.Add(item.Key[(folder.Length + 1)..]);
        }

        Assert.Equal(expected, stored.Order(StringComparer.Ordinal));
        foreach (var name in expected)
        {
            await using var remote = await check.OpenReadAsync(folder + "/" + name);
            using var bytes = new MemoryStream();
            await remote.CopyToAsync(bytes);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(local, name!)), bytes.ToArray());
        }

        var asset = Assert.Single(output.Assets);
        Assert.Equal(folder + "/index.m3u8", asset.Key);
        Assert.Equal(expected.Sum(name => new FileInfo(Path.Combine(local, name!)).Length), asset.SizeBytes);
    }

    [Fact]
    public async Task VideoThatMustBeReEncoded_IsLeftToAMediaJob_WhileRecordingAndAfter_AndNothingIsUploaded()
    {
        await using var s3 = await S3rverServer.StartAsync(RecordingRig.Bucket);
        var (data, destinations, target) = Destination(s3, "rec-hls-mpeg4");
        var mpeg4 = Path.Combine(data, "mpeg4.mp4");
        await new FfmpegRunner().RunAsync([
            "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4",
            "-c:v", "mpeg4", "-c:a", "aac", mpeg4]);
        var work = Path.Combine(data, "work");

        var afterTheStop = await new PackageHls(new HlsAssetUploader(destinations)).RunAsync(
            new TaskActivityContext(nameof(PackageHls), "rec-hls-mpeg4", 1, 1, CancellationToken.None),
            new PostProcessInput(target, Path.Combine(data, "capture"), work) { SplicedPath = mpeg4 });
        var whileRecording = await Assert.ThrowsAsync<TranscodeRequiredException>(() => new PackageSegmentHls(destinations).RunAsync(
            new TaskActivityContext(nameof(PackageSegmentHls), "rec-hls-mpeg4", 1, 1, CancellationToken.None),
            new PackageSegmentHlsInput(target, mpeg4, 0, TimeSpan.Zero, Path.Combine(work, "hls-pieces"))));

        Assert.Empty(afterTheStop.Assets);
        Assert.Contains("video re-encoded: mpeg4 is not H.264", afterTheStop.TranscodeNeeded, StringComparison.Ordinal);
        Assert.Contains("mpeg4 is not H.264", whileRecording.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(work, "hls")));
        using var check = await destinations.OpenAsync(target);
        Assert.Empty(await check.ListAsync(destinations.RecordingFolder(target) + "/").ToListAsync());
    }

    /// <summary>A data folder, the destinations that read it, and a recording whose destination is the s3rver bucket.</summary>
    private static (string Data, RecordingDestinations Destinations, AssetTarget Target) Destination(S3rverServer s3, string recordingId)
    {
        var data = Directory.CreateTempSubdirectory("package-hls-").FullName;
        var destinations = LocalDestinations.At(data);
        var target = new AssetTarget(recordingId, "room-1", new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), JsonSerializer.Deserialize<JsonElement>(RecordingRig.S3Destination(s3).ToJsonString()));
        return (data, destinations, target);
    }
}
