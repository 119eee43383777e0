using System.Security.Cryptography;
using System.Text.Json;
using Recording.Durable.Activities;
using Recording.Functions.Compositions;
using Recording.Functions.Orchestration;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Storage;
using Recording.Functions.Tests.EndToEnd;
using Recording.Media.Compose;
using Recording.Storage.Keys;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Activities;

/// <summary>
/// A composition's tracks come from the recordings' destination byte for byte, beside a timeline with one entry per presence;
/// a spliced file whose bytes changed in the bucket is refused, not composed. Real s3rver.
/// </summary>
public sealed class FetchCompositionTracksTests
{
    [Fact]
    public async Task Fetch_DownloadsEachSplicedFile_AndWritesOneTimelineEntryPerPresence()
    {
        await using var s3 = await S3rverServer.StartAsync(RecordingRig.Bucket);
        var (work, destinations, source, original) = await UploadedTrackAsync(s3);

        var timelinePath = await Fetch(destinations, source, work);

        Assert.Equal(await File.ReadAllBytesAsync(original), await File.ReadAllBytesAsync(Path.Combine(work, "tracks", "00.mp4")));
        var timeline = await CompositeTimeline.ReadAsync(timelinePath);
        Assert.Equal(12, timeline.Duration);
        Assert.Equal(
            [("tracks/00.mp4", "Alice", 0d, 4d, 0d), ("tracks/00.mp4", "Alice", 9d, 12d, 4d)],
            timeline.Tracks.Select(t => (t.File, t.Participant, t.JoinAt, t.LeaveAt, t.Offset)));
    }

    [Fact]
    public async Task Fetch_OfASplicedFileWhoseBytesChangedInTheBucket_FailsNamingTheRecordingAndTheDigest()
    {
        await using var s3 = await S3rverServer.StartAsync(RecordingRig.Bucket);
        var (work, destinations, source, originalPath) = await UploadedTrackAsync(s3);
        // Replaced in the bucket by someone else, the same size and still carrying the digest our uploader stored: the store's own
        // checksums describe the new bytes, so only our SHA-256 can tell.
        var original = await File.ReadAllBytesAsync(originalPath);
        var tampered = original.ToArray();
        tampered[^100] ^= 0xff;
        await ForeignBucketWriter.PutWithDigestAsync(s3, source.SplicedKey, tampered, Convert.ToHexStringLower(SHA256.HashData(original)));

        var error = await Assert.ThrowsAsync<IOException>(() => Fetch(destinations, source, work));

        Assert.Contains("recording 'rec-alice' arrived with SHA-256", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(work, "tracks", "00.mp4")), "a track that does not verify is never handed to the compose job");
    }

    private static Task<string> Fetch(RecordingDestinations destinations, CompositionSource source, string work)
        => new FetchCompositionTracks(destinations).RunAsync(
            new TaskActivityContext(nameof(FetchCompositionTracks), "composition:room-1", 1, 1, CancellationToken.None),
            new FetchCompositionTracksInput([source], work));

    /// <summary>A 7 s spliced recording of Alice in the bucket, present 0–4 s and, after a gap, 9–12 s.</summary>
    private static async Task<(string Work, RecordingDestinations Destinations, CompositionSource Source, string Original)> UploadedTrackAsync(S3rverServer s3)
    {
        var data = Directory.CreateTempSubdirectory("fetch-tracks-").FullName;
        var destinations = LocalDestinations.At(data);
        var target = new AssetTarget("rec-alice", "room-1", new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), JsonSerializer.Deserialize<JsonElement>(RecordingRig.S3Destination(s3).ToJsonString()));
        var original = Path.Combine(data, "rec-alice.mp4");
        await ProcessOutput.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=160x120:r=25", "-t", "7", "-c:v", "libx264", "-preset", "ultrafast", original]);
        using var bucket = await destinations.OpenAsync(target);
        var uploaded = await AssetUploader.UploadFileAsync(bucket, original, destinations.Key(target, ObjectKind.Spliced, "rec-alice.mp4"));
        var track = new ComposedTrack("rec-alice", "Alice", "host", [new TrackPresence(0, 4, 0), new TrackPresence(9, 12, 4)]);
        return (Path.Combine(data, "work"), destinations, new CompositionSource(track, target, uploaded.Key), original);
    }
}
