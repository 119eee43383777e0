using Recording.Media.Compose;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Validation;
using Recording.TestSupport;

namespace Recording.Media.Tests.Compose;

public sealed class TimelineCompositorTests(ThreeParticipantsFixture fixture) : IClassFixture<ThreeParticipantsFixture>
{
    [Fact]
    public async Task Grid_Landscape_ShowsAndMixesExactlyThePresentParticipantsAtEveryMoment()
    {
        var output = Path.Combine(fixture.Folder, "landscape.mp4");

        var result = await Compose(new CompositeRequest(fixture.Timeline, output) { Size = new CompositeSize(640, 360) });

        // A 4:3 source alone on a 16:9 frame is pillarboxed (whole picture kept), hence black at x=40 at 2 s.

        Assert.InRange(result.Output.Duration.TotalSeconds, 29.7, 30.3);
        Assert.Equal(["Alice", "Alice,Bob", "Alice,Bob,Carol", "Bob,Carol"], result.Intervals.Select(i => string.Join(',', i.Participants)));
        await AssertTilesAsync(output, 640, 360, 2, [(320, 180, 'R'), (100, 180, 'R'), (540, 180, 'R'), (40, 180, 'K')]);
        await AssertTilesAsync(output, 640, 360, 7, [(160, 180, 'R'), (480, 180, 'G')]);
        await AssertTilesAsync(output, 640, 360, 12, [(160, 90, 'R'), (480, 90, 'G'), (320, 270, 'B'), (40, 270, 'K'), (600, 270, 'K')]);
        await AssertTilesAsync(output, 640, 360, 25, [(160, 180, 'G'), (480, 180, 'B')]);
        Assert.True((await new MediaProbe().DecodeAsync(output)).IsClean);

        // The audio is the mix of exactly those present: A's 440 Hz, B's 660 Hz and C's 880 Hz, each heard only while there.
        await AssertTonesAsync(output, 1, heard: [440], silent: [660, 880]);
        await AssertTonesAsync(output, 7, heard: [440, 660], silent: [880]);
        await AssertTonesAsync(output, 12, heard: [440, 660, 880], silent: []);
        await AssertTonesAsync(output, 25, heard: [660, 880], silent: [440]);
    }

    [Fact]
    public async Task Grid_Portrait_StacksTilesVertically()
    {
        var output = Path.Combine(fixture.Folder, "portrait.mp4");

        var result = await Compose(new CompositeRequest(fixture.Timeline, output) { Size = new CompositeSize(360, 640) });

        Assert.InRange(result.Output.Duration.TotalSeconds, 29.7, 30.3);
        Assert.Equal((360, 640), (result.Output.Streams.Width, result.Output.Streams.Height));
        await AssertTilesAsync(output, 360, 640, 2, [(180, 320, 'R'), (180, 200, 'R'), (180, 440, 'R'), (180, 40, 'K')]);
        await AssertTilesAsync(output, 360, 640, 7, [(180, 160, 'R'), (180, 480, 'G')]);
        await AssertTilesAsync(output, 360, 640, 12, [(90, 160, 'R'), (270, 160, 'G'), (180, 480, 'B'), (20, 480, 'K')]);
        await AssertTilesAsync(output, 360, 640, 25, [(180, 160, 'G'), (180, 480, 'B')]);
    }

    [Fact]
    public async Task RoleFilterAndAudioOnlyTrack_ShowOnlyGuestsAndANamedTileForTheAudioParticipant()
    {
        var timeline = Path.Combine(fixture.Folder, "with-audio-only.json");
        await ThreeParticipantsFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks =
            [
                new TimelineTrack { File = "a.mp4", Participant = "Alice", Role = "host", JoinAt = 0, LeaveAt = 6 },
                new TimelineTrack { File = "b.mp4", Participant = "Bob", Role = "guest", JoinAt = 0, LeaveAt = 6 },
                new TimelineTrack { File = "d.m4a", Participant = "Dan: 'dial-in' [x]", Role = "guest", JoinAt = 2, LeaveAt = 6 },
            ],
        });
        var output = Path.Combine(fixture.Folder, "guests.mp4");

        var result = await Compose(new CompositeRequest(timeline, output) { Size = new CompositeSize(640, 360), Roles = ["guest"] });

        Assert.InRange(result.Output.Duration.TotalSeconds, 5.7, 6.3);
        Assert.True(result.NamesDrawn);
        await AssertTilesAsync(output, 640, 360, 1, [(320, 180, 'G')]);
        // Bob left, Dan's tile right: the dark tile colour, with his name drawn in white somewhere on it.
        var frame = await RgbFrame.ExtractAsync(output, TimeSpan.FromSeconds(4), 640, 360);
        Assert.Equal('G', TileColour.Of(frame.Pixel(160, 180)));
        Assert.Equal('D', TileColour.Of(frame.Pixel(330, 30)));
        var whiteOnDanTile = Enumerable.Range(320, 320).SelectMany(x => Enumerable.Range(0, 360).Select(y => frame.Pixel(x, y))).Count(p => p.R > 200 && p.G > 200 && p.B > 200);
        Assert.True(whiteOnDanTile > 50, $"expected the name drawn on the audio-only tile, found {whiteOnDanTile} white pixels");
    }

    [Fact]
    public async Task ZeroLengthTrack_NamesTheFieldAndRule()
    {
        var timeline = Path.Combine(fixture.Folder, "zero.json");
        await ThreeParticipantsFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks = [new TimelineTrack { File = "a.mp4", Participant = "Alice", Role = "host", JoinAt = 5, LeaveAt = 5 }],
        });

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new TimelineCompositor().ComposeAsync(new CompositeRequest(timeline, Path.Combine(fixture.Folder, "x.mp4"))));

        Assert.Equal("tracks[0].leaveAt", error.Field);
        Assert.Contains("zero length", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegativeOffset_NamesTheFieldAndRule()
    {
        var timeline = Path.Combine(fixture.Folder, "negative-offset.json");
        await ThreeParticipantsFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks = [new TimelineTrack { File = "a.mp4", Participant = "Alice", Role = "host", JoinAt = 0, LeaveAt = 5, Offset = -1 }],
        });

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new TimelineCompositor().ComposeAsync(new CompositeRequest(timeline, Path.Combine(fixture.Folder, "x.mp4"))));

        Assert.Equal("tracks[0].offset", error.Field);
        Assert.Equal("must be zero or more seconds", error.Rule);
    }

    [Fact]
    public async Task MissingTrackFile_NamesTheTrack()
    {
        var timeline = Path.Combine(fixture.Folder, "missing.json");
        await ThreeParticipantsFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks = [new TimelineTrack { File = "nobody.mp4", Participant = "N", Role = "guest", JoinAt = 0, LeaveAt = 5 }],
        });

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new TimelineCompositor().ComposeAsync(new CompositeRequest(timeline, Path.Combine(fixture.Folder, "x.mp4"))));

        Assert.Equal("tracks[0].file", error.Field);
    }

    [Theory]
    [InlineData("2560x1440", "must not exceed 1920x1080")]
    [InlineData("1281x720", "even")]
    [InlineData("big", "WIDTHxHEIGHT")]
    public void Size_OutOfRules_NamesTheRule(string size, string rule)
    {
        var error = Assert.Throws<MediaInputException>(() => CompositeSize.Parse(size));

        Assert.Equal("size", error.Field);
        Assert.Contains(rule, error.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1280x720")]
    [InlineData("720x1280")]
    [InlineData("1920x1080")]
    public void Size_Allowed(string size) => Assert.Equal(size, CompositeSize.Parse(size).ToString());

    [Fact]
    public void UnknownLayout_NamesTheField()
    {
        var error = Assert.Throws<MediaInputException>(() => CompositeLayoutNames.Parse("mosaic"));

        Assert.Equal("layout", error.Field);
        Assert.Contains("grid, speaker, single", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void SpeakerLayout_GivesTheSpeakerThreeQuartersAndStacksTheOthers()
    {
        var tiles = TileLayouts.For(CompositeLayout.Speaker, 3, new CompositeSize(1280, 720));

        Assert.Equal(new TileRect(0, 0, 960, 720), tiles[0]);
        Assert.Equal(new TileRect(960, 0, 320, 360), tiles[1]);
        Assert.Equal(new TileRect(960, 360, 320, 360), tiles[2]);
    }

    [Fact]
    public async Task AParticipantWithAGap_IsTwoPresencesOfOneFile_EachPlayedFromItsOffset()
    {
        // One recording whose source dropped after 3 s and came back 2 s later: its spliced file is 3 s red then 3 s green.
        var folder = TestMedia.NewFolder("compose-gap-");
        await TestMedia.FfmpegAsync(
            "-f", "lavfi", "-i", "color=c=red:s=320x240:r=25:d=3", "-f", "lavfi", "-i", "color=c=green:s=320x240:r=25:d=3",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=6",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
            "-pix_fmt", "yuv420p", "-c:a", "aac", Path.Combine(folder, "gap.mp4"));
        var timeline = Path.Combine(folder, "timeline.json");
        await ThreeParticipantsFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks =
            [
                new TimelineTrack { File = "gap.mp4", Participant = "Alice", Role = "host", JoinAt = 0, LeaveAt = 3 },
                new TimelineTrack { File = "gap.mp4", Participant = "Alice", Role = "host", JoinAt = 5, LeaveAt = 8, Offset = 3 },
            ],
        });
        var output = Path.Combine(folder, "composite.mp4");

        var result = await Compose(new CompositeRequest(timeline, output) { Size = new CompositeSize(320, 240) });

        Assert.InRange(result.Output.Duration.TotalSeconds, 7.7, 8.3);
        await AssertTilesAsync(output, 320, 240, 1.5, [(160, 120, 'R')]);
        await AssertTilesAsync(output, 320, 240, 4, [(160, 120, 'K')]);
        await AssertTilesAsync(output, 320, 240, 5.5, [(160, 120, 'G')]);
        await AssertTilesAsync(output, 320, 240, 7.5, [(160, 120, 'G')]);
        await AssertTonesAsync(output, 3.5, heard: [], silent: [440]);
        await AssertTonesAsync(output, 6, heard: [440], silent: []);
    }

    private static Task<CompositeResult> Compose(CompositeRequest request)
        => new TimelineCompositor().ComposeAsync(request with { X264Preset = "ultrafast", FrameRate = 15 });

    private static async Task AssertTilesAsync(string path, int width, int height, double at, (int X, int Y, char Colour)[] expected)
    {
        var frame = await RgbFrame.ExtractAsync(path, TimeSpan.FromSeconds(at), width, height);
        foreach (var (x, y, colour) in expected)
        {
            var pixel = frame.Pixel(x, y);
            Assert.True(TileColour.Of(pixel) == colour, $"at {at} s, pixel ({x},{y}) is {pixel}, expected {colour}");
        }
    }

    private static async Task AssertTonesAsync(string path, double at, int[] heard, int[] silent)
    {
        foreach (var frequency in heard)
        {
            var level = await AudioLevels.ToneAsync(path, at, frequency);
            Assert.True(level > -35, $"{frequency} Hz at {at} s is {level} dB, expected it heard");
        }

        foreach (var frequency in silent)
        {
            var level = await AudioLevels.ToneAsync(path, at, frequency);
            Assert.True(level < -45, $"{frequency} Hz at {at} s is {level} dB, expected silence");
        }
    }
}
