using System.Globalization;
using Recording.Durable.Activities;
using Recording.Durable.Instances;
using Recording.Functions.Orchestration;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Media.Probing;
using Recording.Media.Splice.Fragmented;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;

namespace Recording.Functions.Tests.Activities;

/// <summary>
/// What was spliced or packaged while recording is held against the capture's manifest before it is published: a segment whose
/// event the orchestration never took (the capture's end overtook it, as a version-1 recording would then end without it) is
/// not lost, because the finishing step refuses the file and the classic splice takes every segment. Real ffmpeg, real files.
/// </summary>
public sealed class FinishWhileRecordingTests : IAsyncLifetime
{
    private const string RecordingId = "rec-finish-check";

    private readonly string data = Directory.CreateTempSubdirectory("finish-while-recording-").FullName;

    private string Capture => Path.Combine(data, "capture");

    private string Work => Path.Combine(data, "work");

    private string SplicedPath => SplicedAssetUploader.LocalPath(Work, RecordingId);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Capture);
        // Three 4 s segments cut as capture cuts them: fragmented MP4, timestamps reset, a fragment per keyframe.
        await TestMedia.FfmpegAsync(
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*1)", "-c:a", "aac", "-ac", "2",
            "-f", "segment", "-segment_time", "4", "-reset_timestamps", "1", "-segment_format", "mp4",
            "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000",
            Path.Combine(Capture, "segment_%05d.mp4"));
        await TestMedia.WriteManifestAsync(Capture, [.. Enumerable.Range(0, 3).Select(i => Path.GetFileName(Segment(i)))]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(data, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ASpliceThatLacksASegmentOfTheManifest_IsRefusedAsPermanent_AndTheClassicSpliceHoldsEverySegment()
    {
        var state = await AppendAsync(null, 0);
        state = await AppendAsync(state, 1);

        var refused = await Assert.ThrowsAsync<OutputVerificationException>(() => new FinishSplice(Uploader()).RunAsync(
            Context(nameof(FinishSplice)), new FinishSpliceInput(Input() with { Upload = false }, SplicedPath, state)));
        var classic = await new SpliceSegments(Uploader()).RunAsync(Context(nameof(SpliceSegments)), Input() with { Upload = false });

        Assert.Equal("it lacks segment(s) 2 of the capture's 3", refused.Rule);
        // The orchestration does not retry it: it gives the file up at once and splices the classic way.
        Assert.False(PermanentFailures.IsTransient(TaskFailureDetails.FromException(refused)));
        Assert.InRange((await new MediaProbe().ProbeAsync(classic.LocalPath!)).Duration.TotalSeconds, 11.8, 12.3);
    }

    [Fact]
    public async Task ASpliceThatHoldsEverySegmentOfTheManifest_IsFinished()
    {
        FragmentedSpliceState? state = null;
        for (var index = 0; index < 3; index++)
        {
            state = await AppendAsync(state, index);
        }

        var finished = await new FinishSplice(Uploader()).RunAsync(Context(nameof(FinishSplice)), new FinishSpliceInput(Input() with { Upload = false }, SplicedPath, state!));

        Assert.Equal(SplicedPath, finished.LocalPath);
        Assert.InRange((await new MediaProbe().ProbeAsync(SplicedPath)).Duration.TotalSeconds, 11.8, 12.3);
    }

    [Fact]
    public async Task AnHlsVodWithoutAPieceForASegmentOfTheManifest_IsRefusedBeforeAnythingIsUploaded()
    {
        var packager = new IncrementalHlsPackager();
        var pieces = Path.Combine(Work, "hls-pieces");
        var first = await packager.PackageSegmentAsync(Segment(0), 0, TimeSpan.Zero, pieces);
        var second = await packager.PackageSegmentAsync(Segment(1), 1, first.End, pieces);

        // The destinations are never opened: the refusal comes first (an upload would need a bucket this test has none of).
        var refused = await Assert.ThrowsAsync<OutputVerificationException>(() => new FinishHls(Destinations()).RunAsync(
            Context(nameof(FinishHls)), new FinishHlsInput(Input(), [first, second], pieces)));

        Assert.Equal("there is no piece for segment(s) 2 of the capture's 3", refused.Rule);
        Assert.False(File.Exists(Path.Combine(pieces, HlsPackager.PlaylistName)));
    }

    private Task<FragmentedSpliceState> AppendAsync(FragmentedSpliceState? state, int index)
        => new AppendToSplice().RunAsync(Context(nameof(AppendToSplice)), new AppendToSpliceInput(SplicedPath, Segment(index), index, state));

    private string Segment(int index) => Path.Combine(Capture, string.Create(CultureInfo.InvariantCulture, $"segment_{index:D5}.mp4"));

    private PostProcessInput Input() => new(new AssetTarget(RecordingId, "room-1", new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), null), Capture, Work);

    private RecordingDestinations Destinations() => LocalDestinations.At(data);

    private SplicedAssetUploader Uploader() => new(Destinations());

    private static TaskActivityContext Context(string name) => new(name, RecordingId, 1, 1, CancellationToken.None);
}
