using Recording.Media.Packaging;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Tests.Packaging;

public sealed class HlsPackagerTests(PackagingSourcesFixture fixture) : IClassFixture<PackagingSourcesFixture>
{
    [Theory]
    [InlineData(HlsSegmentType.Ts)]
    [InlineData(HlsSegmentType.Fmp4)]
    public async Task Package_H264AacFile_CopiesIntoAVodWhoseSegmentsAllDecode(HlsSegmentType type)
    {
        var output = TestMedia.NewFolder("hls-");

        var result = await new HlsPackager().PackageAsync(new HlsPackageRequest(fixture.Small, output, type) { SegmentDuration = TimeSpan.FromSeconds(4) });

        Assert.True(result.Playlist.Encoding.IsCopy, result.Playlist.Encoding.Reason);
        var playlist = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(output, "index.m3u8")));
        Assert.Equal("VOD", playlist.PlaylistType);
        Assert.True(playlist.EndList);
        Assert.Equal((int)Math.Ceiling(playlist.Segments.Max(s => s.Duration)), playlist.TargetDuration);
        Assert.InRange(playlist.TotalDuration, 11.8, 12.2);
        Assert.Equal(3, playlist.Segments.Count);
        if (type == HlsSegmentType.Fmp4)
        {
            Assert.Equal("init.mp4", playlist.MapUri);
            Assert.All(playlist.Segments, s => Assert.EndsWith(".m4s", s.Uri, StringComparison.Ordinal));
        }

        foreach (var segment in playlist.Segments)
        {
            var path = Path.Combine(output, segment.Uri);
            if (type == HlsSegmentType.Fmp4)
            {
                // A CMAF fragment decodes only after its init segment, as a player would append them.
                var joined = Path.Combine(output, "joined-" + segment.Uri + ".mp4");
                await File.WriteAllBytesAsync(joined, [.. await File.ReadAllBytesAsync(Path.Combine(output, "init.mp4")), .. await File.ReadAllBytesAsync(path)]);
                path = joined;
            }

            var decode = await new MediaProbe().DecodeAsync(path);
            Assert.True(decode.IsClean, segment.Uri + ": " + string.Join('\n', decode.Errors));
        }
    }

    [Fact]
    public async Task Package_FromManifest_SplicesThenPackages()
    {
        var output = TestMedia.NewFolder("hls-");

        var result = await new HlsPackager().PackageAsync(new HlsPackageRequest(fixture.Segments, output));

        Assert.InRange(result.Parsed.TotalDuration, 11.8, 12.2);
        Assert.True(result.Playlist.Encoding.IsCopy);
    }

    [Fact]
    public async Task Package_NonH264Source_ReEncodesAndSaysSo_AsItsPlanSaidBeforehand()
    {
        var output = TestMedia.NewFolder("hls-");
        var plan = await new HlsPackager().PlanAsync(fixture.Mpeg4);

        var result = await new HlsPackager().PackageAsync(new HlsPackageRequest(fixture.Mpeg4, output) { SegmentDuration = TimeSpan.FromSeconds(2) });

        Assert.Equal(StreamHandling.ReEncoded, result.Playlist.Encoding.Video);
        Assert.Equal(StreamHandling.ReEncoded, result.Playlist.Encoding.Audio);
        Assert.Contains("mpeg4 is not H.264", result.Playlist.Encoding.Reason, StringComparison.Ordinal);
        Assert.Equal("h264", result.Playlist.Streams.VideoCodec);
        Assert.Equal(result.Playlist.Encoding, plan);
        Assert.True((await new HlsPackager().PlanAsync(fixture.Small)).IsCopy);
    }

    [Fact]
    public async Task Package_OddSizedNonH264Source_ReEncodesToTheEvenSizeBelow()
    {
        var input = Path.Combine(TestMedia.NewFolder("hls-odd-"), "odd.mkv");
        // Motion JPEG in 4:4:4 keeps the odd size that 4:2:0 H.264 cannot encode.
        await TestMedia.FfmpegAsync("-f", "lavfi", "-i", "testsrc=size=321x241:rate=25", "-t", "3", "-c:v", "mjpeg", "-pix_fmt", "yuvj444p", input);
        var output = TestMedia.NewFolder("hls-");

        var result = await new HlsPackager().PackageAsync(new HlsPackageRequest(input, output) { SegmentDuration = TimeSpan.FromSeconds(2) });

        Assert.Equal(StreamHandling.ReEncoded, result.Playlist.Encoding.Video);
        Assert.Equal(("h264", 320, 240), (result.Playlist.Streams.VideoCodec, result.Playlist.Streams.Width, result.Playlist.Streams.Height));
        Assert.InRange(result.Playlist.Duration.TotalSeconds, 2.7, 3.3);
    }

    [Fact]
    public async Task Package_MissingInput_NamesTheField()
    {
        var error = await Assert.ThrowsAsync<MediaInputException>(() => new HlsPackager().PackageAsync(new HlsPackageRequest("/nowhere/x.mp4", TestMedia.NewFolder("hls-"))));

        Assert.Equal("input", error.Field);
    }

    [Fact]
    public void TargetDuration_IsRewrittenToTheCeilingOfTheLongestSegment()
    {
        const string text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.200000,\na.ts\n#EXTINF:2.000000,\nb.ts\n#EXT-X-ENDLIST\n";

        var fixedText = HlsMediaPlaylist.WithRequiredTargetDuration(text);

        Assert.Equal(5, HlsMediaPlaylist.Parse(fixedText).TargetDuration);
    }
}
