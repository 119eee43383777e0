using Recording.Media.Packaging;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Validation;
using Recording.TestSupport;

namespace Recording.Media.Tests.Packaging;

public sealed class LadderPackagerTests(PackagingSourcesFixture fixture) : IClassFixture<PackagingSourcesFixture>
{
    [Fact]
    public async Task Ladder_Of720pSource_GivesExactly240_480_720WithACorrectMasterPlaylist()
    {
        // The rung MP4s reach ffmpeg's tee muxer inside a quoted list: a folder with its separator and quote must survive.
        var output = Path.Combine(TestMedia.NewFolder("ladder-"), "it's a | b [c]");

        var result = await new LadderPackager().PackageAsync(new LadderRequest(fixture.Hd, output)
        {
            Rungs = [240, 480, 720, 1080],
            SegmentDuration = TimeSpan.FromSeconds(2),
            X264Preset = "ultrafast",
            AudioKbps = 96,
        });

        Assert.Equal([1080], result.SkippedRungs);
        var master = HlsMasterPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(output, "master.m3u8")));
        Assert.Equal(["426x240", "854x480", "1280x720"], master.Variants.Select(v => $"{v.Width}x{v.Height}"));
        foreach (var variant in master.Variants)
        {
            var folder = Path.GetDirectoryName(Path.Combine(output, variant.Uri))!;
            var media = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(output, variant.Uri)));
            Assert.Equal("VOD", media.PlaylistType);
            Assert.InRange(media.TotalDuration, 4.8, 5.2);
            var peak = 0L;
            var bits = 0L;
            foreach (var segment in media.Segments)
            {
                var path = Path.Combine(folder, segment.Uri);
                var decode = await new MediaProbe().DecodeAsync(path);
                Assert.True(decode.IsClean, $"{variant.Uri} {segment.Uri}: {string.Join('\n', decode.Errors)}");
                var info = await new MediaProbe().ProbeAsync(path);
                Assert.Equal(variant.Width, info.Streams.Width);
                Assert.Equal(variant.Height, info.Streams.Height);
                var size = new FileInfo(path).Length * 8;
                bits += size;
                peak = Math.Max(peak, (long)Math.Ceiling(size / segment.Duration));
            }

            Assert.Equal(peak, variant.Bandwidth);
            Assert.Equal((long)Math.Ceiling(bits / media.TotalDuration), variant.AverageBandwidth);
            Assert.True(variant.Bandwidth >= variant.AverageBandwidth);
            // CODECS must state what x264 actually wrote (ultrafast drops High to Constrained Baseline), read here independently.
            var rungMp4 = Directory.GetFiles(folder, "*.mp4").Single();
            var profileLevel = (await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=profile,level", "-of", "csv=p=0", rungMp4)).Split(',');
            var profileByte = profileLevel[0] switch { "High" => "64", "Main" => "4d", _ => "42" };
            Assert.Matches($"^avc1\\.{profileByte}[0-9a-f]{{2}}{int.Parse(profileLevel[1], System.Globalization.CultureInfo.InvariantCulture):x2},mp4a\\.40\\.2$", variant.Codecs);
            Assert.Equal(30, variant.FrameRate, 0.01);
        }

        Assert.Equal(3, result.Renditions.Count);
        Assert.All(result.Renditions, r => Assert.InRange(r.Mp4.Duration.TotalSeconds, 4.8, 5.2));

        // One audio encode for all rungs: every rung carries the very same AAC packets, at the bitrate asked for.
        var audio = new List<byte[]>();
        foreach (var rendition in result.Renditions)
        {
            var bitRate = await Ffprobe.RunAsync("-v", "error", "-select_streams", "a:0", "-show_entries", "stream=bit_rate", "-of", "csv=p=0", rendition.Mp4.Path);
            Assert.InRange(long.Parse(bitRate.Trim(), System.Globalization.CultureInfo.InvariantCulture), 86_000, 106_000);
            var adts = Path.Combine(TestMedia.NewFolder("ladder-audio-"), "audio.aac");
            await TestMedia.FfmpegAsync("-i", rendition.Mp4.Path, "-map", "0:a:0", "-c", "copy", "-f", "adts", adts);
            audio.Add(await File.ReadAllBytesAsync(adts));
        }

        Assert.True(audio[0].Length > 40_000, $"{audio[0].Length} bytes of audio");
        Assert.All(audio, a => Assert.Equal(audio[0], a));
    }

    [Fact]
    public async Task Ladder_OfPortraitSource_GivesPortraitRungsAndSkipsUpscales()
    {
        var output = TestMedia.NewFolder("ladder-");

        var result = await new LadderPackager().PackageAsync(new LadderRequest(fixture.Portrait, output)
        {
            Rungs = [240, 360, 480],
            SegmentDuration = TimeSpan.FromSeconds(2),
            X264Preset = "ultrafast",
        });

        Assert.Equal([480], result.SkippedRungs);
        Assert.Equal(["240x426", "360x640"], result.Renditions.Select(r => $"{r.Mp4.Streams.Width}x{r.Mp4.Streams.Height}"));
        Assert.All(result.Renditions, r => Assert.True(r.Mp4.Streams.Height > r.Mp4.Streams.Width));
    }

    [Fact]
    public async Task Ladder_WithOnlyRungsAboveTheSource_NamesTheRule()
    {
        var error = await Assert.ThrowsAsync<MediaInputException>(() =>
            new LadderPackager().PackageAsync(new LadderRequest(fixture.Small, TestMedia.NewFolder("ladder-")) { Rungs = [720, 1080] }));

        Assert.Equal("ladder", error.Field);
        Assert.Contains("never upscaled", error.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(240, 1920, 1080, 426, 240)]
    [InlineData(480, 1280, 720, 854, 480)]
    [InlineData(240, 720, 1280, 240, 426)]
    [InlineData(480, 640, 480, 640, 480)]
    public void Dimensions_KeepTheAspectWithEvenSides(int rung, int width, int height, int expectedWidth, int expectedHeight)
        => Assert.Equal((expectedWidth, expectedHeight), LadderPackager.Dimensions(rung, width, height));
}
