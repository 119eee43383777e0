using Recording.Media.Packaging;
using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Media.Tests.Packaging;

public sealed class HlsIFrameIndexerTests(PackagingSourcesFixture fixture) : IClassFixture<PackagingSourcesFixture>
{
    [Fact]
    public async Task Indexer_WhenThePtsWrapsBetweenKeyFrames_KeepsEveryDurationPositive()
    {
        var folder = TestMedia.NewFolder("iframes-wrap-");
        // Times shifted to 3 s before 2^33 ticks (95443.72 s, 26.5 hours): the TS muxer writes them modulo 2^33, so the
        // first key frame's PTS is near the top of the count and the next two are just past zero.
        await TestMedia.FfmpegAsync(
            "-i", fixture.Hd, "-c", "copy", "-output_ts_offset", "95440.7", "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
            "-hls_segment_filename", Path.Combine(folder, "seg%d.ts"), Path.Combine(folder, HlsPackager.PlaylistName));
        var media = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(folder, HlsPackager.PlaylistName)));
        var first = await TsKeyframeScanner.ScanAsync(Path.Combine(folder, media.Segments[0].Uri), CancellationToken.None);
        Assert.Equal([true, false], first.Keyframes.Select(k => k.Pts > 1L << 32));

        var playlist = await new HlsIFrameIndexer().WriteAsync(folder, media, CancellationToken.None);

        Assert.Equal([2.0, 2.0, 1.0], playlist.Frames.Select(f => Math.Round(f.Duration, 1)));
        Assert.Equal(media.TotalDuration, playlist.TotalDuration, 0.01);
        Assert.Equal(playlist.Render(), await File.ReadAllTextAsync(Path.Combine(folder, HlsIFramePlaylist.Name)));
    }

    [Theory]
    [InlineData(100, 50, 100)]
    [InlineData(5, (1L << 33) - 5, (1L << 33) + 5)]
    [InlineData((1L << 33) - 5, 5, -5)]
    [InlineData(5, (3L << 33) + 1, (3L << 33) + 5)]
    public void Unwrap_TakesTheTimeNearestThePreviousOne(long pts, long previous, long expected)
        => Assert.Equal(expected, MpegTsClock.Unwrap(pts, previous));
}
