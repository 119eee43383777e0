using Recording.Media.Clip;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Tests.Splice;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Tests.Clip;

public sealed class KeyframeClipperTests(SplicedRecordingFixture fixture) : IClassFixture<SplicedRecordingFixture>
{
    [Fact]
    public async Task Clip_From12To27_Lasts15SecondsWithinOneKeyframeIntervalAndCopiesPackets()
    {
        var output = Path.Combine(TestMedia.NewFolder("clip-out-"), "clip.mp4");

        var result = await new KeyframeClipper().ClipAsync(new ClipRequest(fixture.Compatible, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(27), output));

        const double keyframeInterval = 2.5;
        Assert.InRange(result.Output.Duration.TotalSeconds, 15 - 0.1, 15 + keyframeInterval);
        Assert.InRange(result.ActualFrom.TotalSeconds, 12 - keyframeInterval, 12);
        Assert.Equal([1, 2], result.SegmentIndexes);
        Assert.True(result.Output.Encoding.IsCopy);
        Assert.True((await new MediaProbe().DecodeAsync(output)).IsClean);

        // No re-encode: every video packet of the clip is byte-identical to a packet of the segments, in the same order,
        // and the codec extradata (SPS/PPS) is the segments' own.
        var reader = new FfprobeReader();
        var source = new List<PacketRecord>();
        source.AddRange(await reader.VideoPacketsAsync(Path.Combine(fixture.Compatible, "segment-00001.mp4")));
        source.AddRange(await reader.VideoPacketsAsync(Path.Combine(fixture.Compatible, "segment-00002.mp4")));
        var clip = await reader.VideoPacketsAsync(output);
        var start = source.FindIndex(p => p.DataHash == clip[0].DataHash);
        Assert.True(start >= 0, "the clip's first packet must be one of the segments' packets");
        Assert.True(clip[0].Keyframe);
        Assert.Equal(source.Skip(start).Take(clip.Count).Select(p => p.DataHash), clip.Select(p => p.DataHash));
        var sourceSignature = await reader.SignatureAsync(Path.Combine(fixture.Compatible, "segment-00001.mp4"));
        var clipSignature = await reader.SignatureAsync(output);
        Assert.Equal(sourceSignature.VideoExtradataHash, clipSignature.VideoExtradataHash);
    }

    [Fact]
    public async Task Clip_WithToBeforeFrom_NamesTheField()
    {
        var error = await Assert.ThrowsAsync<MediaInputException>(() =>
            new KeyframeClipper().ClipAsync(new ClipRequest(fixture.Compatible, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), "/tmp/x.mp4")));

        Assert.Equal("to", error.Field);
    }

    [Fact]
    public async Task Clip_StartingAfterTheEnd_NamesTheField()
    {
        var error = await Assert.ThrowsAsync<MediaInputException>(() =>
            new KeyframeClipper().ClipAsync(new ClipRequest(fixture.Compatible, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(95), Path.Combine(TestMedia.NewFolder("clip-out-"), "x.mp4"))));

        Assert.Equal("from", error.Field);
    }
}
