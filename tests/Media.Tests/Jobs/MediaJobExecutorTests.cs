using System.Text.Json;
using Recording.Media.Compose;
using Recording.Media.Ffmpeg;
using Recording.Media.Jobs;
using Recording.Media.Packaging;
using Recording.Media.Probing;
using Recording.Media.Tests.Compose;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Tests.Packaging;
using Recording.TestSupport;

namespace Recording.Media.Tests.Jobs;

/// <summary>The media job contract: what a job's result file says (the service reads nothing else), bad requests named by field, one holder of a job.</summary>
public sealed class MediaJobExecutorTests(PackagingSourcesFixture fixture) : IClassFixture<PackagingSourcesFixture>
{
    [Fact]
    public async Task Thumbnails_WriteAResultFileBesideTheOutput_ThatReadsBackAsTheReturnedResult()
    {
        var request = Request(MediaJobOperation.Thumbnails, fixture.Small) with { ThumbnailInterval = TimeSpan.FromSeconds(1) };
        // A killed run's leftovers are not part of the result: the folder is emptied first.
        Directory.CreateDirectory(request.OutputDirectory);
        await File.WriteAllTextAsync(Path.Combine(request.OutputDirectory, "stale.jpg"), "left by a killed run");

        var result = await new MediaJobExecutor().RunAsync(request);

        Assert.True(result.Succeeded, result.Error);
        Assert.False(File.Exists(Path.Combine(request.OutputDirectory, "stale.jpg")));
        Assert.Equal(Path.Combine(request.OutputDirectory, "thumbnails.vtt"), result.WebVttPath);
        Assert.Equal("mjpeg", (await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", result.PosterPath!)).Trim());
        Assert.Equal(Json(result), Json(await MediaJobResultFile.ReadAsync(request)));
        // Another job's request does not read this job's result, even at the same path.
        Assert.Null(await MediaJobResultFile.ReadAsync(request with { JobId = "another" }));
    }

    [Fact]
    public async Task Ladder_ResultListsEachVerifiedRungWithItsMp4()
    {
        var request = Request(MediaJobOperation.Ladder, fixture.Hd) with { Rungs = [240, 1080], X264Preset = "ultrafast" };

        var result = await new MediaJobExecutor().RunAsync(request);

        Assert.True(result.Succeeded, result.Error);
        var rung = Assert.Single(result.Renditions);
        Assert.Equal(240, rung.ShortSide);
        Assert.Equal(new FileInfo(rung.Mp4Path).Length, rung.Bytes);
        Assert.Equal("240", (await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=height", "-of", "csv=p=0", rung.Mp4Path)).Trim());
        Assert.Equal(LadderPackager.MasterName, Path.GetFileName(result.MasterPlaylistPath));
    }

    [Fact]
    public async Task Splice_OfSegmentsAtTwoSizes_ReEncodesToTheFirstSize_AndSaysWhyInTheResult()
    {
        // A capture whose source came back at another size: 12 s at 320x240, then 4 s at 640x360.
        var capture = TestMedia.NewFolder("media-job-capture-");
        foreach (var file in Directory.GetFiles(fixture.Segments, "*.mp4"))
        {
            File.Copy(file, Path.Combine(capture, Path.GetFileName(file)));
        }

        await TestMedia.ClipAsync(Path.Combine(capture, "wide.mp4"), 4, size: "640x360");
        await TestMedia.WriteManifestAsync(capture, ["segment-00000.mp4", "segment-00001.mp4", "wide.mp4"]);
        var request = Request(MediaJobOperation.Splice, Path.Combine(capture, "manifest.json")) with { OutputFileName = "rec-1.mp4" };

        var result = await new MediaJobExecutor().RunAsync(request);

        Assert.True(result.Succeeded, result.Error);
        var spliced = result.Output!;
        Assert.Equal(Path.Combine(request.OutputDirectory, "rec-1.mp4"), spliced.Path);
        Assert.Equal(new FileInfo(spliced.Path).Length, spliced.Bytes);
        Assert.Contains("video re-encoded: resolution 320x240 vs 640x360", result.Decision, StringComparison.Ordinal);
        Assert.Equal("320,240", (await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", spliced.Path)).Trim());
        var probed = double.Parse((await Ffprobe.RunAsync("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", spliced.Path)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(probed, 15.5, 16.5);
        Assert.InRange(spliced.Duration.TotalSeconds, probed - 0.05, probed + 0.05);
        Assert.Equal(Json(result), Json(await MediaJobResultFile.ReadAsync(request)));
    }

    [Fact]
    public async Task Hls_OfANonH264File_ReEncodesToH264_AndTheResultNamesThePlaylistAndWhy()
    {
        var request = Request(MediaJobOperation.Hls, fixture.Mpeg4);

        var result = await new MediaJobExecutor().RunAsync(request);

        Assert.True(result.Succeeded, result.Error);
        var playlist = result.Output!;
        Assert.Equal(Path.Combine(request.OutputDirectory, "index.m3u8"), playlist.Path);
        Assert.Equal(Directory.GetFiles(request.OutputDirectory).Sum(f => new FileInfo(f).Length), playlist.Bytes);
        Assert.Contains("video re-encoded: mpeg4 is not H.264", result.Decision, StringComparison.Ordinal);
        Assert.Equal("h264", (await new MediaProbe().ProbeAsync(playlist.Path)).Streams.VideoCodec);
        Assert.InRange(playlist.Duration.TotalSeconds, 3.5, 4.5);
    }

    [Fact]
    public async Task Compose_OfTwoOverlappingTracks_MakesOneVerifiedFileOfTheWholeSpan_WithTheTilesOfWhoIsPresent()
    {
        // Red from 0 to 4 s, blue from 2 to 6 s: alone, together, alone.
        var room = TestMedia.NewFolder("media-job-room-");
        await Task.WhenAll(SolidTrackAsync(Path.Combine(room, "red.mp4"), "red"), SolidTrackAsync(Path.Combine(room, "blue.mp4"), "blue"));
        var timeline = Path.Combine(room, "timeline.json");
        await ThreeParticipantsFixture.WriteTimelineAsync(timeline, new CompositeTimeline
        {
            Tracks =
            [
                new TimelineTrack { File = "red.mp4", Participant = "Alice", Role = "host", JoinAt = 0, LeaveAt = 4 },
                new TimelineTrack { File = "blue.mp4", Participant = "Bob", Role = "guest", JoinAt = 2, LeaveAt = 6 },
            ],
        });
        var request = Request(MediaJobOperation.Compose, timeline) with
        {
            OutputFileName = "room-1.mp4",
            X264Preset = "ultrafast",
            Composite = new MediaJobComposite { Size = "320x180" },
        };

        var result = await new MediaJobExecutor().RunAsync(request);

        Assert.True(result.Succeeded, result.Error);
        var composite = result.Output!;
        Assert.Equal(Path.Combine(request.OutputDirectory, "room-1.mp4"), composite.Path);
        Assert.Equal(new FileInfo(composite.Path).Length, composite.Bytes);
        Assert.InRange(composite.Duration.TotalSeconds, 5.7, 6.3);
        Assert.Contains("composited 3 intervals", result.Decision, StringComparison.Ordinal);
        Assert.Equal("320,180", (await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", composite.Path)).Trim());
        var together = await RgbFrame.ExtractAsync(composite.Path, TimeSpan.FromSeconds(3), 320, 180);
        Assert.True(together.Pixel(80, 90) is { R: > 180, G: < 80, B: < 80 }, "the left tile at 3 s is Alice's red");
        Assert.True(together.Pixel(240, 90) is { R: < 80, G: < 80, B: > 180 }, "the right tile at 3 s is Bob's blue");
        var alone = await RgbFrame.ExtractAsync(composite.Path, TimeSpan.FromSeconds(5), 320, 180);
        Assert.True(alone.Pixel(80, 90) is { R: < 80, G: < 80, B: > 180 }, "at 5 s Bob is alone and fills the frame");
    }

    [Fact]
    public async Task KilledFfmpeg_GivesARetryableFailure_WhileAFailureOfTheInputIsFinal()
    {
        // A fault-injecting wrapper around the real ffmpeg: the encode dies by SIGKILL, as under the kernel's OOM killer.
        var folder = TestMedia.NewFolder("media-job-killed-");
        var wrapper = await ExecutableScript.WriteAsync(Path.Combine(folder, "ffmpeg"), "#!/bin/sh\ncase \" $* \" in *\" libx264 \"*) kill -KILL $$ ;; esac\nexec ffmpeg \"$@\"\n");

        var killed = await new MediaJobExecutor(new FfmpegOptions { FfmpegPath = wrapper }).RunAsync(Request(MediaJobOperation.Ladder, fixture.Hd) with { Rungs = [240] });
        var badInput = await new MediaJobExecutor().RunAsync(Request(MediaJobOperation.Ladder, fixture.Hd) with { Rungs = [4320] });

        Assert.False(killed.Succeeded);
        Assert.True(killed.Retryable, killed.Error);
        Assert.Contains("exit code 137", killed.Error, StringComparison.Ordinal);
        Assert.False(badInput.Succeeded);
        Assert.False(badInput.Retryable, badInput.Error);
        Assert.StartsWith("ladder:", badInput.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("input", "must be the absolute path of an existing file")]
    [InlineData("rungs", "must list at least one rung")]
    [InlineData("thumbnailInterval", "must be at least 1 second")]
    [InlineData("version", "must be 1")]
    [InlineData("outputFileName", "must be a file name (no folder)")]
    [InlineData("composite", "must give the layout and size of a compose job")]
    [InlineData("composite.size", "must have even width and height")]
    public async Task BadRequest_GivesAFailedResultNamingTheFieldAndTheRule(string field, string rule)
    {
        var request = field switch
        {
            "input" => Request(MediaJobOperation.Ladder, Path.Combine(fixture.Folder, "missing.mp4")) with { Rungs = [240] },
            "rungs" => Request(MediaJobOperation.Ladder, fixture.Small),
            "thumbnailInterval" => Request(MediaJobOperation.Thumbnails, fixture.Small) with { ThumbnailInterval = TimeSpan.FromMilliseconds(500) },
            "outputFileName" => Request(MediaJobOperation.Splice, Path.Combine(fixture.Segments, "manifest.json")) with { OutputFileName = "../escape.mp4" },
            "composite" => Request(MediaJobOperation.Compose, fixture.Small),
            "composite.size" => Request(MediaJobOperation.Compose, fixture.Small) with { Composite = new MediaJobComposite { Size = "641x360" } },
            _ => Request(MediaJobOperation.Thumbnails, fixture.Small) with { Version = 2 },
        };

        var result = await new MediaJobExecutor().RunAsync(request);

        Assert.False(result.Succeeded);
        Assert.StartsWith($"{field}: {rule}", result.Error, StringComparison.Ordinal);
        Assert.Equal(Json(result), Json(await MediaJobResultFile.ReadAsync(request)));
        Assert.False(Directory.Exists(request.OutputDirectory), "a refused job writes no outputs");
    }

    [Fact]
    public async Task Cancel_WhileFfmpegEncodes_StopsIt_AndTheResultSaysCanceledAndWhy_NotRetryable()
    {
        // 30 s of 1080p into four rungs at veryfast takes about a minute on two cores: the cancel lands while ffmpeg encodes.
        var source = Path.Combine(TestMedia.NewFolder("media-job-cancel-"), "long.mp4");
        await TestMedia.ClipAsync(source, 30, size: "1920x1080", rate: 30);
        var request = Request(MediaJobOperation.Ladder, source) with { Rungs = [240, 480, 720, 1080] };
        var executor = new MediaJobExecutor { CancelPollInterval = TimeSpan.FromMilliseconds(200) };

        var running = executor.RunAsync(request);
        await Eventually.UntilAsync(
            () => Task.FromResult(Directory.Exists(request.OutputDirectory) && Directory.EnumerateFiles(request.OutputDirectory, "*.mp4", SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 0)),
            TimeSpan.FromSeconds(60), "ffmpeg to write its first rung bytes");
        Assert.False(running.IsCompleted, "the ladder ended before the test could cancel it; make the source longer");
        await MediaJobCancellation.RequestAsync(request, "the composition was canceled");
        var result = await running;

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable, "a canceled job must not be started again");
        Assert.Equal("canceled: the composition was canceled", result.Error);
        Assert.Empty(result.Renditions);
        Assert.Equal(Json(result), Json(await MediaJobResultFile.ReadAsync(request)));
    }

    [Fact]
    public async Task Cancel_BeforeAWorkerTakesTheJob_EndsItWithoutRunning_AndAnOldAttemptsMarkerCancelsNothing()
    {
        var request = Request(MediaJobOperation.Thumbnails, fixture.Small) with { ThumbnailInterval = TimeSpan.FromSeconds(4) };
        await MediaJobCancellation.RequestAsync(request, "it ran longer than 12:00:00");

        var canceled = await new MediaJobExecutor().RunAsync(request);

        Assert.Equal("canceled: it ran longer than 12:00:00", canceled.Error);
        Assert.False(Directory.Exists(request.OutputDirectory), "a job canceled in the queue runs nothing");

        // The marker names the attempt it was written for: a new attempt at the same output runs.
        var retried = await new MediaJobExecutor().RunAsync(request with { JobId = request.JobId + "#2" });

        Assert.True(retried.Succeeded, retried.Error);
        Assert.True(File.Exists(retried.PosterPath));
    }

    [Fact]
    public void Lock_HasOneHolder_AndIsFreeAgainOnceReleased()
    {
        var request = Request(MediaJobOperation.Thumbnails, fixture.Small);
        using (var held = MediaJobLock.TryTake(request))
        {
            Assert.NotNull(held);
            Assert.Null(MediaJobLock.TryTake(request));
            Assert.True(MediaJobLock.IsHeld(request));
        }

        Assert.False(MediaJobLock.IsHeld(request));
    }

    private static Task SolidTrackAsync(string path, string colour)
        => TestMedia.FfmpegAsync(
            "-f", "lavfi", "-i", $"color=c={colour}:s=320x240:r=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", path);

    [Fact]
    public async Task AnOutputFolderThatHoldsTheInput_IsRefused_AndTheRecordingIsLeftWhole()
    {
        // A job pointed at the recording's own folder: emptying it first, as every job does, would delete the segments.
        var recording = TestMedia.NewFolder("media-job-recording-");
        foreach (var file in Directory.GetFiles(fixture.Segments))
        {
            File.Copy(file, Path.Combine(recording, Path.GetFileName(file)));
        }

        var before = Directory.GetFiles(recording).ToDictionary(f => f, f => new FileInfo(f).Length);
        var request = Request(MediaJobOperation.Splice, Path.Combine(recording, "manifest.json")) with { OutputDirectory = recording, OutputFileName = "all.mp4" };

        var result = await new MediaJobExecutor().RunAsync(request);

        Assert.False(result.Succeeded);
        Assert.StartsWith("outputDirectory: must not hold the input", result.Error, StringComparison.Ordinal);
        Assert.All(before, file => Assert.Equal(file.Value, new FileInfo(file.Key).Length));
    }

    /// <summary>Results compared by what they say (a record compares its lists by reference).</summary>
    private static string Json(MediaJobResult? result) => JsonSerializer.Serialize(result);

    private static MediaJobRequest Request(MediaJobOperation operation, string input) => new()
    {
        JobId = "rec-1:" + operation,
        Operation = operation,
        Input = input,
        OutputDirectory = Path.Combine(TestMedia.NewFolder("media-job-"), "out"),
    };
}
