using Recording.Media.Packaging;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Media.Tests.Packaging;

public sealed class ThumbnailGeneratorTests(PackagingSourcesFixture fixture) : IClassFixture<PackagingSourcesFixture>
{
    [Fact]
    public async Task Thumbnails_EveryTwoSeconds_GivePosterImagesSpriteAndVtt()
    {
        var output = TestMedia.NewFolder("thumbs-");

        var result = await new ThumbnailGenerator().GenerateAsync(new ThumbnailRequest(fixture.Small, output) { Interval = TimeSpan.FromSeconds(2), Columns = 4, Rows = 4 });

        Assert.Equal(6, result.Images.Count);
        Assert.Single(result.SpriteSheets);
        Assert.Equal((160, 120), (result.ThumbnailWidth, result.ThumbnailHeight));
        var sprite = await new MediaProbe().ProbeAsync(result.SpriteSheets[0]);
        Assert.Equal((640, 480), (sprite.Streams.Width, sprite.Streams.Height));
        var poster = await new MediaProbe().ProbeAsync(result.PosterPath);
        Assert.Equal(320, poster.Streams.Width);
        var vtt = await File.ReadAllLinesAsync(result.WebVttPath);
        Assert.Equal("WEBVTT", vtt[0]);
        Assert.Contains("00:00:00.000 --> 00:00:02.000", vtt);
        Assert.Contains("sprite_001.jpg#xywh=160,120,160,120", vtt);
        Assert.Contains("00:00:10.000 --> 00:00:12.000", vtt);
    }

    [Fact]
    public async Task Thumbnails_IntoAFolderUsedBefore_ListOnlyThisRunsPictures()
    {
        var output = TestMedia.NewFolder("thumbs-again-");
        var first = await new ThumbnailGenerator().GenerateAsync(new ThumbnailRequest(fixture.Small, output) { Interval = TimeSpan.FromSeconds(1), Columns = 2, Rows = 2 });

        var second = await new ThumbnailGenerator().GenerateAsync(new ThumbnailRequest(fixture.Small, output) { Interval = TimeSpan.FromSeconds(4), Columns = 2, Rows = 2 });

        Assert.True(first.Images.Count > second.Images.Count, $"{first.Images.Count} then {second.Images.Count}");
        Assert.Equal(3, second.Images.Count);
        Assert.Single(second.SpriteSheets);
        Assert.Equal(second.Images.Order(StringComparer.Ordinal), Directory.GetFiles(Path.Combine(output, "images"), "thumb_*.jpg").Order(StringComparer.Ordinal));
        Assert.Equal(second.SpriteSheets, Directory.GetFiles(output, "sprite_*.jpg"));
    }
}
