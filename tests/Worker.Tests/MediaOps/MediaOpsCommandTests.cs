using System.Globalization;
using System.Text.Json;
using Recording.Media.Packaging;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Worker.Tests.MediaOps;

/// <summary>The real worker binary runs each media operation on generated clips; outputs are checked with ffprobe, not with what the worker says.</summary>
public sealed class MediaOpsCommandTests(MediaOpsSourcesFixture fixture) : IClassFixture<MediaOpsSourcesFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Splice_PrintsOneResultLineAndWritesTheSegmentsAsOneCopiedFile()
    {
        var output = Path.Combine(TestMedia.NewFolder("worker-splice-"), "spliced.mp4");

        var result = await RunOkAsync("splice", "--manifest", fixture.Segments, "--output", output);

        Assert.Equal("spliced", result.GetProperty("type").GetString());
        Assert.Equal(3, result.GetProperty("segmentCount").GetInt32());
        Assert.Equal("copied", result.GetProperty("output").GetProperty("encoding").GetProperty("video").GetString());
        Assert.Equal(output, result.GetProperty("output").GetProperty("path").GetString());
        var info = await new MediaProbe().ProbeAsync(output);
        Assert.InRange(info.Duration.TotalSeconds, 12 - 0.2, 12 + 0.2);
        Assert.Equal(("h264", "aac"), (info.Streams.VideoCodec, info.Streams.AudioCodec));
        Assert.Equal(info.Duration.TotalSeconds, result.GetProperty("output").GetProperty("duration").GetDouble(), 0.01);
        Assert.True((await new DecodeCheck().RunAsync(output)).IsClean);
    }

    [Fact]
    public async Task Clip_From3To9_CutsSixSecondsOnKeyframesAcrossTwoSegments()
    {
        var output = Path.Combine(TestMedia.NewFolder("worker-clip-"), "clip.mp4");

        var result = await RunOkAsync("clip", "--manifest", Path.Combine(fixture.Segments, "manifest.json"), "--from", "3s", "--to", "00:00:09", "--output", output);

        Assert.Equal("clipped", result.GetProperty("type").GetString());
        Assert.Equal([0, 1, 2], result.GetProperty("segmentIndexes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("copied", result.GetProperty("output").GetProperty("encoding").GetProperty("video").GetString());
        var duration = double.Parse(await Ffprobe.RunAsync("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", output), CultureInfo.InvariantCulture);
        Assert.InRange(duration, 6 - 0.1, 6 + MediaOpsSourcesFixture.KeyframeInterval + 0.1);
        Assert.True((await new DecodeCheck().RunAsync(output)).IsClean);
    }

    [Fact]
    public async Task Package_WithHlsLadderAndThumbnails_WritesAVodALadderWithoutUpscaleAndImages()
    {
        var output = TestMedia.NewFolder("worker-package-");

        var result = await RunOkAsync(
            "package", "--input", fixture.Segments, "--output", output, "--hls", "--segment-duration", "4s", "--ladder", "120,240,480", "--thumbnails", "4s");

        Assert.Equal("packaged", result.GetProperty("type").GetString());
        var vod = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(output, "hls", "index.m3u8")));
        Assert.Equal("VOD", vod.PlaylistType);
        Assert.True(vod.EndList);
        Assert.InRange(vod.TotalDuration, 11.8, 12.2);
        foreach (var segment in vod.Segments)
        {
            var decode = await new DecodeCheck().RunAsync(Path.Combine(output, "hls", segment.Uri));
            Assert.True(decode.IsClean, segment.Uri + ": " + string.Join('\n', decode.Errors));
        }

        var master = HlsMasterPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(output, "ladder", "master.m3u8")));
        Assert.Equal(["160x120", "320x240"], master.Variants.Select(v => $"{v.Width}x{v.Height}"));
        Assert.Equal([480], result.GetProperty("ladder").GetProperty("skippedRungs").EnumerateArray().Select(e => e.GetInt32()));
        foreach (var variant in master.Variants)
        {
            var playlistPath = Path.Combine(output, "ladder", variant.Uri);
            var media = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(playlistPath));
            var first = await new MediaProbe().ProbeAsync(Path.Combine(Path.GetDirectoryName(playlistPath)!, media.Segments[0].Uri));
            Assert.Equal((variant.Width, variant.Height), (first.Streams.Width, first.Streams.Height));
            Assert.InRange(media.TotalDuration, 11.8, 12.2);
        }

        var thumbnails = result.GetProperty("thumbnails");
        Assert.Equal(3, thumbnails.GetProperty("images").GetArrayLength());
        Assert.True(File.Exists(thumbnails.GetProperty("posterPath").GetString()));
        Assert.Equal("WEBVTT", (await File.ReadAllLinesAsync(thumbnails.GetProperty("webVttPath").GetString()!))[0]);
    }

    [Fact]
    public async Task Compose_OfTwoParticipants_FollowsTheTimelineAtTheRequestedSize()
    {
        var output = Path.Combine(TestMedia.NewFolder("worker-compose-"), "composite.mp4");

        var result = await RunOkAsync(
            "compose", "--timeline", fixture.Timeline, "--output", output, "--size", "320x180", "--frame-rate", "10", "--preset", "ultrafast");

        Assert.Equal("composed", result.GetProperty("type").GetString());
        Assert.Equal(["Alice", "Alice,Bob"], result.GetProperty("intervals").EnumerateArray().Select(i => string.Join(',', i.GetProperty("participants").EnumerateArray().Select(p => p.GetString()))));
        var info = await new MediaProbe().ProbeAsync(output);
        Assert.InRange(info.Duration.TotalSeconds, 6 - 0.3, 6 + 0.3);
        Assert.Equal((320, 180), (info.Streams.Width, info.Streams.Height));
        Assert.Equal(("h264", "aac"), (info.Streams.VideoCodec, info.Streams.AudioCodec));
        // One tile (red, centred) at 1 s; two side by side (red left, green right) at 4 s.
        var alone = await RgbFrame.ExtractAsync(output, TimeSpan.FromSeconds(1), 320, 180);
        Assert.True(IsRed(alone.Pixel(160, 90)));
        var both = await RgbFrame.ExtractAsync(output, TimeSpan.FromSeconds(4), 320, 180);
        Assert.True(IsRed(both.Pixel(80, 90)));
        var right = both.Pixel(240, 90);
        Assert.True(right is { R: < 70, G: > 90, B: < 70 }, $"expected green at (240,90), got {right}");
    }

    private static bool IsRed((byte R, byte G, byte B) p) => p is { R: > 180, G: < 70, B: < 70 };

    private static async Task<JsonElement> RunOkAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(arguments, Deadline);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        var line = Assert.Single(stdout);
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
