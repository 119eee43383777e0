using System.Net;
using System.Text.Json;
using Recording.Functions.Notifications;
using Recording.Storage.Destinations;
using Recording.TestSupport;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// The main end-to-end flow and its checks, shared by every backend that must pass them: start over HTTP, ~25 s of live video,
/// stop, then the signed events at the webhook, the status, and the segments, spliced MP4, HLS VOD and 240p rung in the bucket
/// and thumbnails (checked with ffprobe).
/// </summary>
internal static class RecordingAssertions
{
    private static readonly TimeSpan CompletionDeadline = TimeSpan.FromSeconds(150);

    /// <summary>Starts <paramref name="id"/> (twice: idempotent), records five 5 s segments, stops, waits for recording.completed; returns the completed status.</summary>
    public static async Task<JsonElement> StartRecordAndStopAsync(RecordingRig rig, HttpClient client, string id)
    {
        var first = await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var second = await RecordingRig.PostAsync(client, "api/recordings", rig.StartBody(id));
        Assert.True(second.IsSuccessStatusCode, $"same id again: {second.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, (await RecordingRig.PostAsync(client, "api/recordings/no-such-recording/stop", null)).StatusCode);

        // About 25 s of live video: five closed segments of 5 s.
        await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, id)).GetProperty("segments").GetArrayLength() >= 5, TimeSpan.FromSeconds(90), "five uploaded segments");
        Assert.Equal(HttpStatusCode.Accepted, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);

        await Eventually.UntilAsync(() => rig.Events(id).Any(e => e.Type == RecordingEventTypes.Completed), CompletionDeadline, "recording.completed at the webhook", TimeSpan.FromMilliseconds(500));
        var status = await RecordingRig.CompletedStatusAsync(client, id);
        Assert.Equal(HttpStatusCode.Conflict, (await RecordingRig.PostAsync(client, $"api/recordings/{id}/stop", null)).StatusCode);
        using (var list = JsonDocument.Parse(await client.GetStringAsync("api/recordings")))
        {
            Assert.Single(list.RootElement.GetProperty("recordings").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        }

        return status;
    }

    /// <summary>
    /// Checks a completed recording against the webhook and the bucket: one completed event, gapless sequence numbers, one
    /// segment-ready per segment, every segment (probed, exact size), the spliced MP4 (every segment's video packets, appended as
    /// fragments while recording), the HLS VOD, the 240p rung and the thumbnails (the last two made by media worker jobs), and no
    /// local segment left behind.
    /// </summary>
    public static async Task DeliveredAsync(RecordingRig rig, string id, JsonElement status)
    {
        var events = EventsAgreeWithStatus(rig, id, status);
        var segments = status.GetProperty("segments").EnumerateArray().ToList();
        var span = segments[^1].GetProperty("endedAt").GetDateTimeOffset() - segments[0].GetProperty("startedAt").GetDateTimeOffset();
        Assert.True(span >= TimeSpan.FromSeconds(20), $"recorded span {span}");

        using var bucket = await rig.BucketAsync();
        var work = Directory.CreateTempSubdirectory("e2e-assets-").FullName;
        var segmentVideoPackets = 0;
        foreach (var segment in segments)
        {
            var key = segment.GetProperty("key").GetString()!;
            var local = Path.Combine(work, Path.GetFileName(key));
            await bucket.DownloadToFileAsync(key, local);
            var probed = await RecordingRig.ProbeAsync(local);
            Assert.Equal("h264", probed.Streams.VideoCodec);
            Assert.Equal(segment.GetProperty("sizeBytes").GetInt64(), new FileInfo(local).Length);
            segmentVideoPackets += await RecordingRig.VideoPacketsAsync(local);
        }

        var assets = status.GetProperty("assets").EnumerateArray().ToList();
        string Asset(string kind, string suffix) => assets.Single(a => a.GetProperty("kind").GetString() == kind && a.GetProperty("key").GetString()!.EndsWith(suffix, StringComparison.Ordinal)).GetProperty("key").GetString()!;
        Assert.All(assets, a => Assert.Contains(events, e => e.Type == RecordingEventTypes.AssetReady && e.Data.GetProperty("fileKey").GetString() == a.GetProperty("key").GetString()));
        Assert.All(assets, a => Assert.StartsWith("http", a.GetProperty("url").GetString(), StringComparison.Ordinal));

        var splicedPath = Path.Combine(work, "spliced.mp4");
        await bucket.DownloadToFileAsync(Asset("spliced", ".mp4"), splicedPath);
        var spliced = await RecordingRig.ProbeAsync(splicedPath);
        Assert.True(Math.Abs((spliced.Duration - span).TotalSeconds) <= 1.5, $"spliced {spliced.Duration} against the wall-clock span {span}");
        Assert.True(spliced.HasAudio);
        // Built while recording from the segments' own fragments (fMP4 segments): every video packet of every segment, once.
        Assert.Equal(segmentVideoPackets, await RecordingRig.VideoPacketsAsync(splicedPath));
        Assert.True((await File.ReadAllBytesAsync(splicedPath)).AsSpan().IndexOf("moof"u8) > 0, "the spliced file is the segments' fragments appended as they closed");

        var hlsKey = Asset("hls", "index.m3u8");
        var hls = await RecordingRig.DownloadAsync(bucket, hlsKey[..hlsKey.LastIndexOf('/')], Path.Combine(work, "hls"));
        var vod = await RecordingRig.ProbeAsync(Path.Combine(hls, "index.m3u8"));
        // Packaged segment by segment while recording: its media segments are named after the capture segment they came from.
        var hlsSegments = Directory.GetFiles(hls, "*.ts").Select(Path.GetFileName).ToList();
        Assert.All(hlsSegments, name => Assert.Matches(@"^s\d{5}_\d{5}\.ts$", name));
        Assert.Equal(segments.Count, hlsSegments.Select(name => name![..6]).Distinct().Count());
        // Nothing under hls/ but the playlist and what it lists.
        var listed = (await File.ReadAllLinesAsync(Path.Combine(hls, "index.m3u8"))).Where(l => l.Length > 0 && !l.StartsWith('#')).Append("index.m3u8");
        Assert.Equal(listed.Order(StringComparer.Ordinal), Directory.GetFiles(hls).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
        Assert.True(Math.Abs((vod.Duration - spliced.Duration).TotalSeconds) <= 1.0, $"HLS VOD {vod.Duration} against spliced {spliced.Duration}");

        var rungPath = Path.Combine(work, "240p.mp4");
        await bucket.DownloadToFileAsync(Asset("renditions/240p", "240p.mp4"), rungPath);
        var rung = await RecordingRig.ProbeAsync(rungPath);
        Assert.Equal(240, rung.Streams.Height);
        Assert.True(Math.Abs((rung.Duration - spliced.Duration).TotalSeconds) <= 1.0, $"240p rung {rung.Duration} against spliced {spliced.Duration}");
        Assert.NotNull(await bucket.HeadAsync(Asset("renditions", "master.m3u8")));
        // The rung's folder goes up whole: its HLS playlist and, for trick play, its I-frame playlist.
        var rungKey = Asset("renditions/240p", "240p.mp4");
        Assert.NotNull(await bucket.HeadAsync(rungKey[..rungKey.LastIndexOf('/')] + "/iframes.m3u8"));

        // Thumbnails every 5 s: a WebVTT track whose cues point into sprite sheets beside it, and a poster that decodes.
        var vttKey = Asset("thumbnails", "thumbnails.vtt");
        var thumbnails = await RecordingRig.DownloadAsync(bucket, vttKey[..vttKey.LastIndexOf('/')], Path.Combine(work, "thumbnails"));
        var cues = (await File.ReadAllLinesAsync(Path.Combine(thumbnails, "thumbnails.vtt"))).Where(l => l.Contains(" --> ", StringComparison.Ordinal)).Count();
        Assert.InRange(cues, (int)(spliced.Duration.TotalSeconds / 5) - 1, (int)Math.Ceiling(spliced.Duration.TotalSeconds / 5) + 1);
        Assert.NotEmpty(Directory.GetFiles(thumbnails, "sprite_*.jpg"));
        var poster = Path.Combine(thumbnails, Path.GetFileName(Asset("thumbnails", "poster.jpg")));
        Assert.Equal("mjpeg", (await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", poster)).Trim());

        // Local segments go only after their verified upload and after post-processing used them.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(rig.DataDirectory, "recordings", id, "capture"), "segment_*"));
    }

    /// <summary>
    /// The recording's webhook events agree with its completed status: one recording.completed (however often it was
    /// delivered), recording.started, gapless sequence numbers from 1, segments indexed from 0 without a gap, and one
    /// segment-ready per segment. Returns the events.
    /// </summary>
    public static IReadOnlyList<(string WebhookId, string Type, JsonElement Data)> EventsAgreeWithStatus(RecordingRig rig, string id, JsonElement status)
    {
        // An event the receiver never took is named in the status: that says why, where a gap in the sequence below would not.
        Assert.DoesNotContain(status.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "notification-failed");
        var events = rig.Events(id);
        Assert.Single(events.Where(e => e.Type == RecordingEventTypes.Completed).Select(e => e.WebhookId).Distinct());
        Assert.Contains(events, e => e.Type == RecordingEventTypes.Started);
        var sequences = events.Select(e => e.Data.GetProperty("sequence").GetInt64()).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);

        var segments = status.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, segments.Count), segments.Select(s => s.GetProperty("index").GetInt32()));
        Assert.Equal(segments.Count, events.Where(e => e.Type == RecordingEventTypes.SegmentReady).Select(e => e.WebhookId).Distinct().Count());
        return events;
    }

    /// <summary>Every segment the status lists is in the bucket at the size the status gives; returns the bucket's sizes by key.</summary>
    public static async Task<Dictionary<string, long>> SegmentsStoredWholeAsync(RecordingRig rig, JsonElement status)
    {
        using var bucket = await rig.BucketAsync();
        var stored = new Dictionary<string, long>();
        await foreach (var item in bucket.ListAsync(""))
        {
            stored[item.Key] = item.Size;
        }

        var segments = status.GetProperty("segments").EnumerateArray().ToList();
        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.Equal(s.GetProperty("sizeBytes").GetInt64(), stored.GetValueOrDefault(s.GetProperty("key").GetString()!, -1)));
        return stored;
    }
}
