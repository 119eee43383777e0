using Recording.Media.Packaging;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Media.Tests.Packaging;

public sealed class LadderIFramePlaylistTests(PackagingSourcesFixture fixture) : IClassFixture<PackagingSourcesFixture>
{
    [Fact]
    public async Task Ladder_InTs_GivesEachRungAnIFramePlaylistWhoseRangesAreItsKeyFrames()
    {
        var output = TestMedia.NewFolder("ladder-iframes-");

        // 4 s segments of the 5 s source: key frames every 2 s (0, 2, 4), one of them inside the first segment.
        await new LadderPackager().PackageAsync(new LadderRequest(fixture.Hd, output)
        {
            Rungs = [240, 480],
            SegmentDuration = TimeSpan.FromSeconds(4),
            X264Preset = "ultrafast",
        });

        var master = HlsMasterPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(output, LadderPackager.MasterName)));
        Assert.Equal(["240p/iframes.m3u8", "480p/iframes.m3u8"], master.IFrameVariants.Select(v => v.Uri));
        foreach (var (iFrameVariant, variant) in master.IFrameVariants.Zip(master.Variants))
        {
            Assert.Equal((variant.Width, variant.Height), (iFrameVariant.Width, iFrameVariant.Height));
            Assert.Equal(variant.Codecs.Split(',')[0], iFrameVariant.Codecs);

            var folder = Path.GetDirectoryName(Path.Combine(output, iFrameVariant.Uri))!;
            var media = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(folder, HlsPackager.PlaylistName)));
            var playlist = HlsIFramePlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(output, iFrameVariant.Uri)));
            Assert.Equal(2, media.Segments.Count);

            // The key frames the rung's MP4 has, read independently, are the I-frames, in time and in number.
            var keyframes = await new FfprobeReader().KeyframeTimesAsync(Directory.GetFiles(folder, "*.mp4").Single());
            Assert.Equal([0.0, 2.0, 4.0], keyframes.Select(t => Math.Round(t - keyframes[0], 1)));
            Assert.Equal([2.0, 2.0, 1.0], playlist.Frames.Select(f => Math.Round(f.Duration, 1)));
            Assert.Equal(media.TotalDuration, playlist.TotalDuration, 0.01);
            Assert.Equal([media.Segments[0].Uri, media.Segments[0].Uri, media.Segments[1].Uri], playlist.Frames.Select(f => f.Uri));

            // Each range, behind the map, is one picture that decodes on its own, and it is a key frame.
            var bits = 0L;
            var peak = 0L;
            foreach (var frame in playlist.Frames)
            {
                var lone = Path.Combine(TestMedia.NewFolder("iframe-"), "lone.ts");
                var map = (await File.ReadAllBytesAsync(Path.Combine(folder, playlist.MapUri)))[..(int)playlist.MapLength];
                var range = (await File.ReadAllBytesAsync(Path.Combine(folder, frame.Uri))).AsSpan((int)frame.Offset, (int)frame.Length).ToArray();
                await File.WriteAllBytesAsync(lone, [.. map, .. range]);

                var frames = await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", lone);
                Assert.Equal(["1,I"], frames.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.TrimEnd(',')));
                var decode = await new MediaProbe().DecodeAsync(lone);
                Assert.True(decode.IsClean, string.Join('\n', decode.Errors));
                bits += frame.Length * 8;
                peak = Math.Max(peak, (long)Math.Ceiling(frame.Length * 8 / frame.Duration));
            }

            Assert.Equal(peak, iFrameVariant.Bandwidth);
            Assert.Equal((long)Math.Ceiling(bits / playlist.TotalDuration), iFrameVariant.AverageBandwidth);
        }
    }

    [Fact]
    public async Task Ladder_InFmp4_HasNoIFramePlaylist()
    {
        var output = TestMedia.NewFolder("ladder-fmp4-");

        var result = await new LadderPackager().PackageAsync(new LadderRequest(fixture.Hd, output) { Rungs = [240], SegmentType = HlsSegmentType.Fmp4, X264Preset = "ultrafast" });

        Assert.Null(result.Renditions.Single().IFrames);
        Assert.False(File.Exists(Path.Combine(output, "240p", HlsIFramePlaylist.Name)));
        Assert.DoesNotContain("I-FRAME", await File.ReadAllTextAsync(result.MasterPlaylistPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, 3)]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(10, 5)]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    public void KeyframesPerSegment_CutTheSegmentIntoEqualPartsOfAtMost2s(double segment, int expected)
    {
        var parts = LadderPackager.KeyframesPerSegment(TimeSpan.FromSeconds(segment));

        Assert.Equal(expected, parts);
        Assert.InRange(segment / parts, 0.5, 2.0);
    }
}
