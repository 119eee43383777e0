using System.Globalization;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.Media.Splice;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Media.Tests.Splice;

/// <summary>
/// Segments that do not all carry the same streams (a publisher that turned its camera off for a while gives an
/// audio-only segment) or whose pictures have odd sizes: the splice keeps every second of every stream there is.
/// </summary>
public sealed class SegmentStreamSetTests
{
    [Theory]
    [InlineData("av", "a", "av")]
    [InlineData("a", "av")]
    public async Task Splice_WithAnAudioOnlySegment_KeepsItsAudioAndShowsBlackForIt(params string[] layout)
    {
        var folder = TestMedia.NewFolder("splice-streams-");
        var files = new List<string>();
        foreach (var (streams, i) in layout.Select((l, i) => (l, i)))
        {
            var file = $"segment-{i:D5}.mp4";
            if (streams == "av")
            {
                await TestMedia.ClipAsync(Path.Combine(folder, file), 4);
            }
            else
            {
                await TestMedia.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3", "-c:a", "aac", "-ac", "2", Path.Combine(folder, file));
            }

            files.Add(file);
        }

        var manifest = await TestMedia.WriteManifestAsync(folder, files);
        var output = Path.Combine(TestMedia.NewFolder("splice-out-"), "joined.mp4");

        var result = await new SegmentSplicer().SpliceAsync(new SpliceRequest(folder, output));

        Assert.Equal(StreamHandling.ReEncoded, result.Output.Encoding.Video);
        Assert.Equal(StreamHandling.ReEncoded, result.Output.Encoding.Audio);
        Assert.Contains("streams differ", result.Output.Encoding.Reason, StringComparison.Ordinal);
        Assert.Equal(320, result.Output.Streams.Width);
        var total = manifest.TotalDurationSeconds;
        Assert.InRange(result.Output.Duration.TotalSeconds, total - 0.3, total + 0.3);
        Assert.InRange(await StreamDurationAsync(output, "a:0"), total - 0.3, total + 0.3);
        Assert.InRange(await StreamDurationAsync(output, "v:0"), total - 0.3, total + 0.3);

        // The audio-only segment's tone is where it was, and the picture is black there.
        var audioOnlyAt = layout.TakeWhile(l => l != "a").Count() * 4.0;
        Assert.True(await AudioLevels.MeanAsync(output, audioOnlyAt + 1) > -40, "the audio-only segment's tone is missing");
        var black = await SegmentSplicerTests.BlackIntervalsAsync(output);
        Assert.Contains(black, b => b.Start <= audioOnlyAt + 0.2 && b.End >= audioOnlyAt + 2.8);
    }

    [Fact]
    public async Task Splice_OfOddSizedSegmentsThatDiffer_ReEncodesToTheEvenSizeBelowTheFirst()
    {
        var folder = TestMedia.NewFolder("splice-odd-");
        // Motion JPEG in 4:4:4 keeps odd sizes (testsrc2 and the 4:2:0 encoders round them down).
        foreach (var (file, size) in new[] { ("a.mkv", "321x241"), ("b.mkv", "640x360") })
        {
            await TestMedia.FfmpegAsync(
                "-f", "lavfi", "-i", $"testsrc=size={size}:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=48000",
                "-t", "2", "-c:v", "mjpeg", "-pix_fmt", "yuvj444p", "-c:a", "aac", Path.Combine(folder, file));
        }

        await TestMedia.WriteManifestAsync(folder, ["a.mkv", "b.mkv"]);
        var output = Path.Combine(TestMedia.NewFolder("splice-out-"), "odd.mp4");

        var result = await new SegmentSplicer().SpliceAsync(new SpliceRequest(folder, output));

        Assert.Equal(StreamHandling.ReEncoded, result.Output.Encoding.Video);
        Assert.Equal((320, 240), (result.Output.Streams.Width, result.Output.Streams.Height));
        Assert.InRange(result.Output.Duration.TotalSeconds, 3.7, 4.3);
        Assert.True((await new MediaProbe().DecodeAsync(output)).IsClean);
    }

    private static async Task<double> StreamDurationAsync(string path, string stream)
    {
        // Read from the packets: an MP4's stream duration field says what the muxer was told, not what it holds.
        var csv = await Ffprobe.RunAsync("-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path);
        return csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(','))
            .Max(p => double.Parse(p[0], CultureInfo.InvariantCulture) + double.Parse(p[1], CultureInfo.InvariantCulture));
    }
}
