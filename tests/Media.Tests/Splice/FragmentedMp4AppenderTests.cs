using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Recording.Media.Probing;
using Recording.Media.Splice.Fragmented;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Media.Tests.Splice;

public sealed class FragmentedMp4AppenderTests(FragmentedSegmentsFixture fixture) : IClassFixture<FragmentedSegmentsFixture>
{
    private readonly FragmentedMp4Appender appender = new();

    [Fact]
    public async Task AppendThreeSegments_ThenFinish_GivesOneFileWithEveryPacketOnAContinuousTimeline()
    {
        var output = NewOutput();

        var state = await AppendAllAsync(output);
        var verified = await appender.FinishAsync(output, state);

        var expected = 0.0;
        var segmentSteps = new List<List<double>>();
        foreach (var segment in fixture.Segments)
        {
            expected += (await new MediaProbe().ProbeAsync(segment)).Duration.TotalSeconds;
            segmentSteps.Add(Steps(await VideoDtsAsync(segment)));
        }

        Assert.Equal(3, state.Segments);
        Assert.Equal(2, state.Joins.Count);
        Assert.InRange(verified.Duration.TotalSeconds, expected - 0.05, expected + 0.05);
        Assert.True(verified.Encoding.IsCopy, verified.Encoding.Reason);
        var steps = Steps(await VideoDtsAsync(output));
        Assert.Equal(segmentSteps.Sum(s => s.Count + 1) - 1, steps.Count); // every packet, none twice
        var at = 0;
        foreach (var own in segmentSteps)
        {
            // Inside a segment the frames keep their own spacing; across a join the next frame follows one frame later,
            // plus at most one AAC frame (21.3 ms) when the segment's audio ran past its video.
            Assert.Equal(own, steps.Skip(at).Take(own.Count), (a, b) => Math.Abs(a - b) < 0.0001);
            at += own.Count;
            if (at < steps.Count)
            {
                Assert.InRange(steps[at], 0.039, 0.040 + 0.0214);
                at++;
            }
        }

        var decode = await new MediaProbe().DecodeAsync(output);
        Assert.True(decode.IsClean, string.Join('\n', decode.Errors));
    }

    [Fact]
    public async Task Finish_WritesTheTotalDurationIntoMvhd()
    {
        var output = NewOutput();
        var state = await AppendAllAsync(output);

        await appender.FinishAsync(output, state);

        var bytes = await File.ReadAllBytesAsync(output);
        var mvhd = bytes.AsSpan().IndexOf("mvhd"u8) - 4;
        Assert.Equal(0, bytes[mvhd + 8]); // version 0, as ffmpeg writes it
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(mvhd + 20));
        var duration = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(mvhd + 24));
        Assert.InRange((double)duration / timescale, state.Duration.TotalSeconds - 0.01, state.Duration.TotalSeconds + 0.01);
        Assert.True(bytes.AsSpan().IndexOf("mehd"u8) > 0, "mvex carries an mehd with the fragment duration");
    }

    [Fact]
    public async Task AppendRepeatedAfterAHalfWrittenAttempt_GivesTheSameBytesAsOneClean()
    {
        var clean = NewOutput();
        var cleanState = await AppendAllAsync(clean);
        var retried = NewOutput();
        var afterTwo = await appender.AppendAsync(retried, await appender.AppendAsync(retried, null, fixture.Segments[0], 0), fixture.Segments[1], 1);
        await using (var file = new FileStream(retried, FileMode.Append))
        {
            await file.WriteAsync(new byte[123_457]); // what a crash in the middle of appending segment 2 leaves
        }

        var state = await appender.AppendAsync(retried, afterTwo, fixture.Segments[2], 2);

        Assert.Equal(cleanState, state with { Tracks = cleanState.Tracks, Joins = cleanState.Joins, Indices = cleanState.Indices });
        Assert.Equal(cleanState.Tracks, state.Tracks);
        Assert.Equal(cleanState.Joins, state.Joins);
        Assert.Equal(cleanState.Indices!, state.Indices!);
        Assert.Equal(Sha(clean), Sha(retried));
    }

    [Fact]
    public async Task AppendOfAnIndexAlreadyIn_ChangesNothing()
    {
        var output = NewOutput();
        var state = await AppendAllAsync(output);
        var before = Sha(output);

        var again = await appender.AppendAsync(output, state, fixture.Segments[1], 1);

        Assert.Same(state, again);
        Assert.Equal(before, Sha(output));
    }

    [Fact]
    public async Task AppendOfASegmentAfterALaterOne_IsRefused_AndFinishAgainstTheManifestRefusesTheFileBeforeChangingIt()
    {
        var output = NewOutput();
        var state = await appender.AppendAsync(output, await appender.AppendAsync(output, null, fixture.Segments[0], 0), fixture.Segments[2], 2);
        var before = Sha(output);

        var late = await Assert.ThrowsAsync<IncompatibleSegmentException>(() => appender.AppendAsync(output, state, fixture.Segments[1], 1));
        var finish = await Assert.ThrowsAsync<OutputVerificationException>(() => appender.FinishAsync(output, state, [0, 1, 2]));

        Assert.Contains("segment 1 came after segment 2 was appended", late.Message, StringComparison.Ordinal);
        Assert.Equal("it lacks segment(s) 1 of the capture's 3", finish.Rule);
        Assert.Equal([0, 2], state.Indices!);
        Assert.Equal(before, Sha(output));
    }

    [Fact]
    public async Task FinishAgainstAManifestThatListsASegmentNeverAppended_IsRefused_AndWithEverySegmentPasses()
    {
        var output = NewOutput();
        var twoOfThree = await appender.AppendAsync(output, await appender.AppendAsync(output, null, fixture.Segments[0], 0), fixture.Segments[1], 1);

        var refused = await Assert.ThrowsAsync<OutputVerificationException>(() => appender.FinishAsync(output, twoOfThree, [0, 1, 2]));
        var all = await appender.AppendAsync(output, twoOfThree, fixture.Segments[2], 2);
        var verified = await appender.FinishAsync(output, all, [0, 1, 2]);

        Assert.Equal("it lacks segment(s) 2 of the capture's 3", refused.Rule);
        Assert.Equal([0, 1, 2], all.Indices!);
        Assert.InRange(verified.Duration.TotalSeconds, all.Duration.TotalSeconds - 0.05, all.Duration.TotalSeconds + 0.05);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2 }, 3, null)]
    [InlineData(new[] { 0, 1, 2 }, 2, "it holds 2 segment(s) but the capture closed 3 up to its last, index 2")]
    [InlineData(new[] { 0, 1, 2, 3 }, 3, "it lacks segment(s) 3 of the capture's 4")]
    public void AStateFromAnEarlierBuild_WithoutIndices_IsTrustedOnlyWhenItsCountAccountsForEveryClosedSegment(int[] closed, int appended, string? why)
    {
        // As an orchestration started by an earlier build carries it: a last index and a count, no list.
        var earlier = JsonSerializer.Deserialize<FragmentedSpliceState>($$"""{"length":1000,"lastIndex":2,"segments":{{appended}}}""", JsonSerializerOptions.Web)!;

        Assert.Null(earlier.Indices);
        Assert.Equal(why, earlier.WhyNotHolding(closed));
    }

    [Fact]
    public async Task AppendOfASegmentWithOtherCodecParameters_IsRefusedAndLeavesTheFileAsItWas()
    {
        var output = NewOutput();
        var state = await appender.AppendAsync(output, null, fixture.Segments[0], 0);
        var before = Sha(output);

        var refused = await Assert.ThrowsAsync<IncompatibleSegmentException>(() => appender.AppendAsync(output, state, fixture.OtherSize, 1));

        Assert.Contains("codec parameters differ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Sha(output));
    }

    [Fact]
    public async Task AppendOfASegmentCutShortByACrash_TakesItsWholeFragmentsOnly()
    {
        var folder = TestMedia.NewFolder("fmp4-crashed-");
        var crashed = Path.Combine(folder, "segment-00001.mp4");
        var bytes = await File.ReadAllBytesAsync(fixture.Segments[1]);
        await File.WriteAllBytesAsync(crashed, bytes[..(int)(bytes.Length * 0.6)]);
        var output = NewOutput();

        var state = await appender.AppendAsync(output, await appender.AppendAsync(output, null, fixture.Segments[0], 0), crashed, 1);
        var verified = await appender.FinishAsync(output, state);

        var first = (await new MediaProbe().ProbeAsync(fixture.Segments[0])).Duration.TotalSeconds;
        Assert.InRange(verified.Duration.TotalSeconds, first + 1, first + 3); // some, not all, of the second segment's 4 s
        var decode = await new MediaProbe().DecodeAsync(output);
        Assert.True(decode.IsClean, string.Join('\n', decode.Errors));
    }

    [Fact]
    public async Task AppendOfANonFragmentedFile_IsRefusedAsIncompatible()
    {
        var folder = TestMedia.NewFolder("fmp4-plain-");
        var plain = Path.Combine(folder, "plain.ts");
        await TestMedia.ClipAsync(plain, 2);

        await Assert.ThrowsAsync<IncompatibleSegmentException>(() => appender.AppendAsync(NewOutput(), null, plain, 0));
    }

    private async Task<FragmentedSpliceState> AppendAllAsync(string output)
    {
        FragmentedSpliceState? state = null;
        for (var i = 0; i < fixture.Segments.Count; i++)
        {
            state = await appender.AppendAsync(output, state, fixture.Segments[i], i);
        }

        return state!;
    }

    private static string NewOutput() => Path.Combine(TestMedia.NewFolder("fmp4-spliced-"), "spliced.mp4");

    private static List<double> Steps(List<double> dts) => dts.Zip(dts.Skip(1), (a, b) => b - a).ToList();

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task<List<double>> VideoDtsAsync(string path)
    {
        var text = await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=dts_time", "-of", "csv=p=0", path);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => double.Parse(line.TrimEnd(','), CultureInfo.InvariantCulture)).ToList();
    }
}
