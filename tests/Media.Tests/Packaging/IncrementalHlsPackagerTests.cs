using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Recording.Media.Packaging;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Validation;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Media.Tests.Packaging;

public sealed class IncrementalHlsPackagerTests(CaptureSegmentsFixture fixture) : IClassFixture<CaptureSegmentsFixture>
{
    private const double Frame = 0.04;

    private static readonly TimeSpan TwoSeconds = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task CaptureSegments_ContinueTheirTimeline()
    {
        // The premise of the other tests: segment 1 does not start at 0.
        Assert.InRange((await VideoPacketsAsync(fixture.Run[1]))[0].Pts, 3.9, 4.3);
    }

    [Fact]
    public async Task Finish_ContinuousPieces_WritesOneVodWithoutDiscontinuity()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);

        var pieces = await PackageAllAsync(packager, fixture.Run, output);
        var result = await packager.FinishAsync(pieces, output);

        var text = await File.ReadAllTextAsync(Path.Combine(output, "index.m3u8"));
        var playlist = HlsMediaPlaylist.Parse(text);
        Assert.DoesNotContain("#EXT-X-DISCONTINUITY", text, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD\n", text, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-INDEPENDENT-SEGMENTS\n", text, StringComparison.Ordinal);
        Assert.EndsWith("#EXT-X-ENDLIST\n", text, StringComparison.Ordinal);
        Assert.Equal((int)Math.Ceiling(playlist.Segments.Max(s => s.Duration) - 0.0005), playlist.TargetDuration);
        Assert.Equal(6, playlist.Segments.Count);
        Assert.Equal(["s00000_00000.ts", "s00000_00001.ts", "s00001_00000.ts", "s00001_00001.ts", "s00002_00000.ts", "s00002_00001.ts"], playlist.Segments.Select(s => s.Uri));
        Assert.False(File.Exists(Path.Combine(output, "index.m3u8.tmp")));

        var inputs = 0.0;
        foreach (var segment in fixture.Run)
        {
            inputs += VideoSpan(await VideoPacketsAsync(segment));
        }

        Assert.InRange(playlist.TotalDuration, inputs - (2 * Frame), inputs + (2 * Frame));
        var probed = double.Parse(await Ffprobe.RunAsync("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", Path.Combine(output, "index.m3u8")), CultureInfo.InvariantCulture);
        Assert.InRange(probed, inputs - (2 * Frame), inputs + (2 * Frame));
        Assert.True(result.Playlist.Encoding.IsCopy, result.Playlist.Encoding.Reason);
        Assert.Equal(6, result.Parsed.Segments.Count);
    }

    [Fact]
    public async Task PackageSegment_NextPiece_ContinuesThePreviousPiecesTimestamps()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);

        var pieces = await PackageAllAsync(packager, fixture.Run.Take(2).ToList(), output);

        var before = await VideoPacketsAsync(Path.Combine(output, pieces[0].Segments[^1].Uri));
        var after = await VideoPacketsAsync(Path.Combine(output, pieces[1].Segments[0].Uri));
        var end = before.Max(p => p.Dts) + Frame;
        Assert.InRange(after.Min(p => p.Dts), end - (Frame / 2), end + (Frame / 2));

        // Each piece lands at its Start: piece 1 begins pieces[1].Start after piece 0 does, whatever the TS muxer adds to both.
        var zero = (await VideoPacketsAsync(Path.Combine(output, pieces[0].Segments[0].Uri))).Min(p => p.Pts);
        Assert.InRange(after.Min(p => p.Pts) - zero, pieces[1].Start.TotalSeconds - (Frame / 2), pieces[1].Start.TotalSeconds + (Frame / 2));
        Assert.Equal(pieces[0].End, pieces[1].Start);
    }

    [Fact]
    public async Task PackageSegment_StartAfterAHole_IsRefusedAtTheJoin()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);
        var first = await packager.PackageSegmentAsync(fixture.Run[0], 0, TimeSpan.Zero, output);

        var error = await Assert.ThrowsAsync<OutputVerificationException>(() => packager.PackageSegmentAsync(fixture.Run[1], 1, first.End + TimeSpan.FromSeconds(1), output));

        Assert.Contains("where the previous one ends", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageSegment_RunAgain_LeavesTheSameFiles()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);
        var pieces = await PackageAllAsync(packager, fixture.Run.Take(2).ToList(), output);
        var firstRun = await FilesAsync(output);
        // What a run that crashed after writing more segments would leave.
        await File.WriteAllTextAsync(Path.Combine(output, "s00001_00007.ts"), "partial");

        var again = await packager.PackageSegmentAsync(fixture.Run[1], 1, pieces[1].Start, output);

        Assert.Equal(firstRun, await FilesAsync(output));
        Assert.Equal(pieces[1].Segments, again.Segments);
        Assert.Equal(pieces[1].Duration, again.Duration);
        Assert.Equal(pieces[1].CodecKey, again.CodecKey);
        Assert.False(File.Exists(Path.Combine(output, "index.m3u8")));
    }

    [Fact]
    public async Task Finish_PieceWithOtherResolution_GetsADiscontinuityBeforeItsFirstSegment()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);
        var pieces = await PackageAllAsync(packager, [fixture.Run[0], fixture.Run[1], fixture.OtherResolution], output);

        var result = await packager.FinishAsync(pieces, output);

        var lines = (await File.ReadAllTextAsync(Path.Combine(output, "index.m3u8"))).Split('\n');
        var discontinuities = lines.Select((line, i) => (line, i)).Where(l => l.line == "#EXT-X-DISCONTINUITY").ToList();
        Assert.Single(discontinuities);
        Assert.Equal("s00002_00000.ts", lines[discontinuities[0].i + 2]);
        Assert.NotEqual(pieces[1].CodecKey, pieces[2].CodecKey);
        Assert.Equal(pieces[0].CodecKey, pieces[1].CodecKey);
        Assert.InRange(result.Playlist.Duration.TotalSeconds, pieces[2].End.TotalSeconds - 0.1, pieces[2].End.TotalSeconds + 0.1);
    }

    [Fact]
    public async Task Finish_PiecesOutOfOrder_ListsThemByIndex()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);
        var pieces = await PackageAllAsync(packager, fixture.Run.Take(2).ToList(), output);

        var result = await packager.FinishAsync([pieces[1], pieces[0]], output);

        Assert.Equal(["s00000_00000.ts", "s00000_00001.ts", "s00001_00000.ts", "s00001_00001.ts"], result.Parsed.Segments.Select(s => s.Uri));
    }

    [Fact]
    public async Task Finish_APiecePlacedAfterALaterOne_IsRefusedBeforeAPlaylistIsWritten()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);
        var pieces = await PackageAllAsync(packager, fixture.Run, output);
        // Where an orchestration that took segment events in arrival order (version 1) placed them when 2 came before 1.
        var placedAfterTwo = new[] { pieces[0], pieces[2] with { Start = pieces[0].End }, pieces[1] with { Start = pieces[0].End + pieces[2].Duration } };

        var refused = await Assert.ThrowsAsync<OutputVerificationException>(() => packager.FinishAsync(placedAfterTwo, output));

        Assert.StartsWith("piece 1 begins at ", refused.Rule, StringComparison.Ordinal);
        Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $"not where the pieces before it end ({pieces[0].End.TotalSeconds:0.###} s)"), refused.Rule, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "index.m3u8")));
    }

    [Fact]
    public async Task Finish_AgainstAManifestThatListsASegmentWithoutAPiece_IsRefused_AndWithAllOfThemPasses()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);
        var pieces = await PackageAllAsync(packager, fixture.Run, output);

        var refused = await Assert.ThrowsAsync<OutputVerificationException>(() => packager.FinishAsync(pieces.Take(2).ToList(), output, [0, 1, 2]));
        var whole = await packager.FinishAsync(pieces, output, [0, 1, 2]);

        Assert.Equal("there is no piece for segment(s) 2 of the capture's 3", refused.Rule);
        Assert.Equal(6, whole.Parsed.Segments.Count);
    }

    [Fact]
    public async Task PackageSegment_NonH264Video_IsRefusedWithTheReason_AndWritesNothing()
    {
        var output = TestMedia.NewFolder("incremental-hls-");
        var packager = new IncrementalHlsPackager(TwoSeconds);

        var refused = await Assert.ThrowsAsync<TranscodeRequiredException>(() => packager.PackageSegmentAsync(fixture.Mpeg4, 0, TimeSpan.Zero, output));

        Assert.Contains("mpeg4 is not H.264", refused.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(61)]
    public void Constructor_SegmentDurationOutOfRange_NamesTheField(double seconds)
    {
        var error = Assert.Throws<MediaInputException>(() => new IncrementalHlsPackager(TimeSpan.FromSeconds(seconds)));

        Assert.Equal("segmentDuration", error.Field);
    }

    [Fact]
    public void Piece_RoundTripsThroughJson()
    {
        var piece = new HlsPiece
        {
            Index = 3,
            Segments = [new HlsSegment(2.002, "s00003_00000.ts"), new HlsSegment(1.5, "s00003_00001.ts")],
            Start = TimeSpan.FromSeconds(12.04),
            Duration = TimeSpan.FromSeconds(3.502),
            CodecKey = "h264|320|240|yuv420p|SHA256:ab|aac|48000|2|SHA256:cd",
            Encoding = EncodingDecision.Copy(video: true, audio: true, "video copied (H.264); audio copied (AAC)"),
        };

        var back = JsonSerializer.Deserialize<HlsPiece>(JsonSerializer.Serialize(piece))!;

        Assert.Equal(piece.Segments, back.Segments);
        Assert.Equal(piece with { Segments = back.Segments }, back);
    }

    private static async Task<List<HlsPiece>> PackageAllAsync(IncrementalHlsPackager packager, IReadOnlyList<string> segments, string output)
    {
        var pieces = new List<HlsPiece>();
        var start = TimeSpan.Zero;
        for (var i = 0; i < segments.Count; i++)
        {
            var piece = await packager.PackageSegmentAsync(segments[i], i, start, output);
            pieces.Add(piece);
            start = piece.End;
        }

        return pieces;
    }

    private static async Task<SortedDictionary<string, string>> FilesAsync(string folder)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            files[Path.GetFileName(path)] = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        }

        return files;
    }

    private static async Task<List<(double Pts, double Dts)>> VideoPacketsAsync(string path)
    {
        var csv = await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,dts_time", "-of", "csv=p=0", path);
        return [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(','))
            .Select(f => (double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture)))];
    }

    /// <summary>From the first frame's start to the last frame's end: how long a segment plays.</summary>
    private static double VideoSpan(List<(double Pts, double Dts)> packets) => packets.Max(p => p.Pts) + Frame - packets.Min(p => p.Pts);
}
