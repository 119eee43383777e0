using Recording.Media.Compose;
using Recording.Media.Manifest;
using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Worker.Tests.MediaOps;

/// <summary>Bad input ends a media operation with exit code 2, stdout empty, and one stderr line naming the option (and the field in its file) and the rule.</summary>
public sealed class MediaOpsBadInputTests(MediaOpsSourcesFixture fixture) : IClassFixture<MediaOpsSourcesFixture>
{
    public static TheoryData<string, string[], string> OptionErrors => new()
    {
        { "splice", ["--manifest", "{segments}", "--output", "{out}/x.mp4", "--gap", "sideways"], "error: --gap: must be cut or fill" },
        { "splice", ["--manifest", "{segments}", "--output", "{out}/x.avi"], "error: --output: must end in .mp4" },
        { "splice", ["--manifest", "{out}", "--output", "{out}/x.mp4"], "error: --manifest: file '" },
        { "splice", ["--output", "{out}/x.mp4"], "error: Option '--manifest' is required." },
        { "clip", ["--manifest", "{segments}", "--from", "9", "--to", "3", "--output", "{out}/x.mp4"], "error: --to: must be after from" },
        { "clip", ["--manifest", "{segments}", "--from", "soon", "--to", "3", "--output", "{out}/x.mp4"], "error: --from: must be a time such as" },
        { "clip", ["--manifest", "{segments}", "--from", "60", "--to", "70", "--output", "{out}/x.mp4"], "error: --from: must be before the end of the recording" },
        { "package", ["--input", "{segments}", "--output", "{out}"], "error: --hls: at least one of --hls, --ladder, --thumbnails must be given" },
        { "package", ["--input", "{out}/none.mp4", "--output", "{out}", "--hls"], "error: --input: file '" },
        { "package", ["--input", "{segments}", "--output", "{out}", "--ladder", "240,big"], "error: --ladder: must list heights" },
        { "package", ["--input", "{segments}", "--output", "{out}", "--ladder", "720,1080"], "error: --ladder: has no rung at or below the source's 240p (never upscaled)" },
        { "package", ["--input", "{segments}", "--output", "{out}", "--hls", "--segment-type", "webm"], "error: --segment-type: must be ts or fmp4" },
        { "package", ["--input", "{segments}", "--output", "{out}", "--ladder", "240", "--bitrates", "240=400/64"], "error: --bitrates: sets video only: the audio is one encode for all rungs, set by --audio-bitrate" },
        { "package", ["--input", "{segments}", "--output", "{out}", "--ladder", "240", "--bitrates", "240=fast"], "error: --bitrates: must read like 240=400" },
        { "package", ["--input", "{segments}", "--output", "{out}", "--ladder", "240", "--audio-bitrate", "8"], "error: --audio-bitrate: must be 16 to 512 kbit/s" },
        { "package", ["--input", "{segments}", "--output", "{out}", "--ladder", "240", "--audio-bitrate", "loud"], "error: --audio-bitrate: must be a whole number of kbit/s" },
        { "compose", ["--timeline", "{timeline}", "--output", "{out}/x.mp4", "--layout", "mosaic"], "error: --layout: must be one of grid, speaker, single" },
        { "compose", ["--timeline", "{timeline}", "--output", "{out}/x.mp4", "--size", "2560x1440"], "error: --size: must not exceed 1920x1080" },
        { "compose", ["--timeline", "{timeline}", "--output", "{out}/x.mp4", "--size", "1281x720"], "error: --size: must have even width and height" },
        { "compose", ["--timeline", "{timeline}", "--output", "{out}/x.mp4", "--frame-rate", "0"], "error: --frame-rate: must be between 1 and 60" },
        { "compose", ["--timeline", "{timeline}", "--output", "{out}/x.mp4", "--preset", "warp"], "error: --preset: must be one of ultrafast" },
    };

    [Theory]
    [MemberData(nameof(OptionErrors))]
    public async Task BadOption_ExitsWithTwoNamingTheOptionAndTheRule(string command, string[] arguments, string expected)
    {
        var output = TestMedia.NewFolder("worker-bad-");

        await AssertRefusedAsync([command, .. arguments.Select(a => a.Replace("{segments}", fixture.Segments, StringComparison.Ordinal).Replace("{timeline}", fixture.Timeline, StringComparison.Ordinal).Replace("{out}", output, StringComparison.Ordinal))], expected);
        Assert.Empty(Directory.EnumerateFiles(output, "x.*"));
    }

    [Fact]
    public async Task Splice_OfAnEmptySegmentList_NamesTheManifestField()
    {
        var folder = TestMedia.NewFolder("worker-empty-");
        await TestMedia.WriteManifestAsync(folder, []);

        await AssertRefusedAsync(["splice", "--manifest", folder, "--output", Path.Combine(folder, "x.mp4")], "error: --manifest segments: must list at least one segment");
    }

    [Fact]
    public async Task Splice_WithAMissingSegmentFile_NamesTheSegment()
    {
        var folder = TestMedia.NewFolder("worker-missing-");
        var manifest = await ManifestFile.ReadAsync(fixture.Segments);
        File.Copy(Path.Combine(fixture.Segments, manifest.Segments[0].File), Path.Combine(folder, manifest.Segments[0].File));
        await ManifestFile.WriteAsync(folder, manifest with { Segments = [manifest.Segments[0], manifest.Segments[1] with { File = "gone.mp4" }] });

        await AssertRefusedAsync(["splice", "--manifest", folder, "--output", Path.Combine(folder, "x.mp4")], "error: --manifest segments[1].file: file 'gone.mp4' does not exist");
    }

    [Fact]
    public async Task Splice_OfASegmentOutsideTheManifestFolder_IsRefused()
    {
        var folder = TestMedia.NewFolder("worker-hostile-");
        var manifest = await ManifestFile.ReadAsync(fixture.Segments);
        await ManifestFile.WriteAsync(folder, manifest with { Segments = [manifest.Segments[0] with { File = "../" + Path.GetFileName(fixture.Segments) + "/segment-00000.mp4" }] });

        await AssertRefusedAsync(["splice", "--manifest", folder, "--output", Path.Combine(folder, "x.mp4")], "error: --manifest segments[0].file: must not contain '..'");
    }

    [Fact]
    public async Task Compose_WithAZeroLengthTrack_NamesTheTrackField()
    {
        var timeline = Path.Combine(fixture.Participants, "zero.json");
        await MediaOpsSourcesFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks = [new TimelineTrack { File = "a.mp4", Participant = "Alice", Role = "host", JoinAt = 3, LeaveAt = 3 }],
        });

        await AssertRefusedAsync(
            ["compose", "--timeline", timeline, "--output", Path.Combine(TestMedia.NewFolder("worker-bad-"), "x.mp4")],
            "error: --timeline tracks[0].leaveAt: must be greater than joinAt (a track must not have zero length)");
    }

    private static async Task AssertRefusedAsync(string[] arguments, string expected)
    {
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(arguments, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, $"exit {exitCode}: {stderr}");
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }
}
