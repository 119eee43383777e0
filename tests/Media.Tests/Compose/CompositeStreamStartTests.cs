using Recording.Media.Compose;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.TestSupport;

namespace Recording.Media.Tests.Compose;

/// <summary>
/// Track files whose picture and sound do not start together, as an SFU's per-track recordings often are (the first
/// keyframe arrives after the first audio packets): the composite keeps each file's own clock, so lips stay in sync.
/// </summary>
public sealed class CompositeStreamStartTests
{
    [Fact]
    public async Task Composite_OfTracksWhoseStreamsStartApart_KeepsPictureAndSoundWhereTheFileHasThem()
    {
        var folder = TestMedia.NewFolder("compose-starts-");
        // Alice: 440 Hz from 0 s; her picture starts at 1 s, red until 3 s, then blue.
        await TestMedia.FfmpegAsync(
            "-filter_complex",
            "color=c=red:s=320x240:r=25:d=2[r];color=c=blue:s=320x240:r=25:d=3[b];[r][b]concat=n=2:v=1:a=0,setpts=PTS+1/TB[v];sine=frequency=440:sample_rate=48000:d=6[a]",
            "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", Path.Combine(folder, "alice.mkv"));
        // Bob: green from 0 s; his 660 Hz starts at 1.5 s.
        await TestMedia.FfmpegAsync(
            "-filter_complex", "color=c=green:s=320x240:r=25:d=6[v];sine=frequency=660:sample_rate=48000:d=4.5,asetpts=PTS+1.5/TB[a]",
            "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", Path.Combine(folder, "bob.mkv"));
        var timeline = Path.Combine(folder, "timeline.json");
        await ThreeParticipantsFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks =
            [
                new TimelineTrack { File = "alice.mkv", Participant = "Alice", Role = "guest", JoinAt = 0, LeaveAt = 6 },
                new TimelineTrack { File = "bob.mkv", Participant = "Bob", Role = "guest", JoinAt = 0, LeaveAt = 6 },
            ],
        });
        var output = Path.Combine(folder, "composite.mp4");

        await new TimelineCompositor().ComposeAsync(new CompositeRequest(timeline, output) { Size = new CompositeSize(640, 360), X264Preset = "ultrafast", FrameRate = 15 });

        // Alice's tile turns blue at 3 s, not 2 s: her picture was not pulled forward to meet her sound.
        Assert.Equal('R', await ColourAtAsync(output, 0.5, 160));
        Assert.Equal('R', await ColourAtAsync(output, 2.5, 160));
        Assert.Equal('B', await ColourAtAsync(output, 3.5, 160));
        Assert.Equal('G', await ColourAtAsync(output, 2.5, 480));
        // Bob's tone is silent until 1.5 s, not moved to 0; Alice's is heard from the start.
        Assert.True(await AudioLevels.ToneAsync(output, 0.2, 660) < -45, "Bob's tone was heard before he spoke");
        Assert.True(await AudioLevels.ToneAsync(output, 2.0, 660) > -35, "Bob's tone is missing after 1.5 s");
        Assert.True(await AudioLevels.ToneAsync(output, 0.2, 440) > -35, "Alice's tone is missing at the start");
    }

    private static async Task<char> ColourAtAsync(string path, double at, int x)
        => TileColour.Of((await RgbFrame.ExtractAsync(path, TimeSpan.FromSeconds(at), 640, 360)).Pixel(x, 180));
}
