using System.Globalization;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.Media.Splice;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Tests.Splice;

public sealed class SegmentSplicerTests(SplicedRecordingFixture fixture) : IClassFixture<SplicedRecordingFixture>
{
    [Fact]
    public async Task Splice_OfFourCompatibleSegments_CopiesBothStreamsAndKeepsTheSummedDuration()
    {
        var manifest = await ManifestFile.ReadAsync(fixture.Compatible);
        var output = Path.Combine(TestMedia.NewFolder("splice-out-"), "spliced.mp4");

        var result = await new SegmentSplicer().SpliceAsync(new SpliceRequest(fixture.Compatible, output));

        Assert.Equal(4, result.SegmentCount);
        Assert.Equal(StreamHandling.Copied, result.Output.Encoding.Video);
        Assert.Equal(StreamHandling.Copied, result.Output.Encoding.Audio);
        var info = await new MediaProbe().ProbeAsync(output);
        Assert.InRange(info.Duration.TotalSeconds, manifest.TotalDurationSeconds - 0.2, manifest.TotalDurationSeconds + 0.2);
        var decode = await new MediaProbe().DecodeAsync(output);
        Assert.True(decode.IsClean, string.Join('\n', decode.Errors));
        Assert.True(await Mp4Boxes.IsFaststartAsync(output), "moov must precede mdat (faststart)");
    }

    [Fact]
    public async Task Splice_OfSegmentsWithDifferentResolutions_ReEncodesVideoToTheFirstSizeAndCopiesAudio()
    {
        var output = Path.Combine(TestMedia.NewFolder("splice-out-"), "mixed.mp4");

        var result = await new SegmentSplicer().SpliceAsync(new SpliceRequest(fixture.Mixed, output));

        Assert.Equal(StreamHandling.ReEncoded, result.Output.Encoding.Video);
        Assert.Equal(StreamHandling.Copied, result.Output.Encoding.Audio);
        Assert.Contains("resolution 320x240 vs 640x360", result.Output.Encoding.Reason, StringComparison.Ordinal);
        Assert.Equal(320, result.Output.Streams.Width);
        Assert.Equal(240, result.Output.Streams.Height);
        Assert.InRange(result.Output.Duration.TotalSeconds, 23.6, 24.4);
    }

    [Fact]
    public async Task Plan_SaysCopyForCompatibleSegments_AndWhatMustBeReEncodedForMixedOnes_WithoutWritingAnything()
    {
        var compatible = await new SegmentSplicer().PlanAsync(ManifestFile.PathIn(fixture.Compatible));
        var mixed = await new SegmentSplicer().PlanAsync(fixture.Mixed);

        Assert.True(compatible.IsCopy, compatible.Reason);
        Assert.Equal(StreamHandling.ReEncoded, mixed.Video);
        Assert.Equal(StreamHandling.Copied, mixed.Audio);
        Assert.Contains("resolution 320x240 vs 640x360", mixed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Splice_WithFillPolicy_InsertsBlackForTheFiveSecondGap()
    {
        var output = Path.Combine(TestMedia.NewFolder("splice-out-"), "filled.mp4");

        var result = await new SegmentSplicer().SpliceAsync(new SpliceRequest(fixture.Gapped, output, GapPolicy.Fill));

        Assert.Equal(1, result.GapsFilled);
        Assert.InRange(result.Output.Duration.TotalSeconds, 25 - 0.3, 25 + 0.3);
        var black = await BlackIntervalsAsync(output);
        Assert.Contains(black, b => b.Start < 10.3 && b.End > 14.7);
        Assert.DoesNotContain(black, b => b.Start < 9.5 || b.End > 15.5);
    }

    [Fact]
    public async Task Splice_WithCutPolicy_ClosesTheGap()
    {
        var output = Path.Combine(TestMedia.NewFolder("splice-out-"), "cut.mp4");

        var result = await new SegmentSplicer().SpliceAsync(new SpliceRequest(fixture.Gapped, output));

        Assert.Equal(0, result.GapsFilled);
        Assert.InRange(result.Output.Duration.TotalSeconds, 19.8, 20.2);
        Assert.True(result.Output.Encoding.IsCopy);
    }

    [Fact]
    public async Task Splice_OfEmptySegmentList_NamesTheFieldAndRule()
    {
        var folder = TestMedia.NewFolder("splice-empty-");
        await TestMedia.WriteManifestAsync(folder, []);

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new SegmentSplicer().SpliceAsync(new SpliceRequest(folder, Path.Combine(folder, "out.mp4"))));

        Assert.Equal("segments", error.Field);
        Assert.Contains("at least one segment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Splice_WithMissingSegmentFile_NamesTheSegment()
    {
        var folder = TestMedia.NewFolder("splice-missing-");
        File.Copy(Path.Combine(fixture.Compatible, "segment-00000.mp4"), Path.Combine(folder, "a.mp4"));
        var manifest = await TestMedia.WriteManifestAsync(folder, ["a.mp4"]);
        await ManifestFile.WriteAsync(folder, manifest with { Segments = [manifest.Segments[0], manifest.Segments[0] with { Index = 1, File = "gone.mp4" }] });

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new SegmentSplicer().SpliceAsync(new SpliceRequest(folder, Path.Combine(folder, "out.mp4"))));

        Assert.Equal("segments[1].file", error.Field);
        Assert.Contains("does not exist", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Splice_OfAManifestListedOutOfOrder_NamesTheEntryAsItStandsInTheFile()
    {
        var folder = TestMedia.NewFolder("splice-order-");
        File.Copy(Path.Combine(fixture.Compatible, "segment-00000.mp4"), Path.Combine(folder, "a.mp4"));
        var manifest = await TestMedia.WriteManifestAsync(folder, ["a.mp4"]);
        // Index 1 is listed first and its file is missing: the error points at the first entry, the one to edit.
        await ManifestFile.WriteAsync(folder, manifest with { Segments = [manifest.Segments[0] with { Index = 1, File = "gone.mp4" }, manifest.Segments[0]] });

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new SegmentSplicer().SpliceAsync(new SpliceRequest(folder, Path.Combine(folder, "out.mp4"))));

        Assert.Equal("segments[0].file", error.Field);
        Assert.Contains("does not exist", error.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.mp4", "'..'")]
    [InlineData("/etc/passwd", "relative")]
    [InlineData("concat:a.mp4|b.mp4", "protocol")]
    public async Task Splice_RefusesSegmentNamesThatLeaveTheFolder(string file, string rule)
    {
        var folder = TestMedia.NewFolder("splice-hostile-");
        File.Copy(Path.Combine(fixture.Compatible, "segment-00000.mp4"), Path.Combine(folder, "a.mp4"));
        var manifest = await TestMedia.WriteManifestAsync(folder, ["a.mp4"]);
        await ManifestFile.WriteAsync(folder, manifest with { Segments = [manifest.Segments[0] with { File = file }] });

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new SegmentSplicer().SpliceAsync(new SpliceRequest(folder, Path.Combine(folder, "out.mp4"))));

        Assert.Equal("segments[0].file", error.Field);
        Assert.Contains(rule, error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Splice_IntoOneOfItsOwnSegments_IsRefused_AndTheSegmentIsLeftWhole()
    {
        var segment = Path.Combine(fixture.Compatible, "segment-00001.mp4");
        var bytes = new FileInfo(segment).Length;

        var error = await Assert.ThrowsAsync<MediaInputException>(() => new SegmentSplicer().SpliceAsync(new SpliceRequest(fixture.Compatible, segment)));

        Assert.Equal("output", error.Field);
        Assert.Contains("must not be one of the inputs", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, new FileInfo(segment).Length);
    }

    [Fact]
    public void ConcatList_EscapesSingleQuotes()
    {
        var text = ConcatListFile.Render([new ConcatEntry("/data/it's here.mp4", 1.5, 3)]);

        Assert.Equal("ffconcat version 1.0\nfile '/data/it'\\''s here.mp4'\ninpoint 1.5\noutpoint 3\n", text);
    }

    internal static async Task<List<(double Start, double End)>> BlackIntervalsAsync(string path)
    {
        var lines = new List<string>();
        await new Recording.Media.Ffmpeg.FfmpegRunner().RunAsync(
            ["-hide_banner", "-nostdin", "-i", path, "-vf", "blackdetect=d=1:pix_th=0.1", "-an", "-f", "null", "-"],
            line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            });
        var result = new List<(double, double)>();
        foreach (var line in lines.Where(l => l.Contains("black_start:", StringComparison.Ordinal)))
        {
            var start = double.Parse(Value(line, "black_start:"), CultureInfo.InvariantCulture);
            var end = double.Parse(Value(line, "black_end:"), CultureInfo.InvariantCulture);
            result.Add((start, end));
        }

        return result;
    }

    private static string Value(string line, string key)
    {
        var at = line.IndexOf(key, StringComparison.Ordinal) + key.Length;
        var end = line.IndexOf(' ', at);
        return end < 0 ? line[at..] : line[at..end];
    }
}
