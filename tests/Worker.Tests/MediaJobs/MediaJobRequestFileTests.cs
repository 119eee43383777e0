using System.Globalization;
using System.Text.Json;
using Recording.Media.Jobs;
using Recording.Media.Manifest;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.TestSupport;

namespace Recording.Worker.Tests.MediaJobs;

/// <summary>
/// `media-job --request FILE`, as the local service runs it (a child process): the outcome is in the result file beside the
/// output folder, and the exit code separates success (0), a failed job (1), a request that cannot be reported (2), a job that
/// runs elsewhere (75) and a stop on request (143).
/// </summary>
public sealed class MediaJobRequestFileTests(MediaJobClipFixture fixture) : IClassFixture<MediaJobClipFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task MediaJob_LadderRequest_WritesVerifiedRenditionsAndASucceededResult()
    {
        var request = Request(MediaJobOperation.Ladder, fixture.Clip) with { Rungs = [240, 480, 720], X264Preset = "ultrafast" };

        var (exitCode, stdout, stderr) = await RunAsync(request);

        Assert.True(exitCode == 0, stderr);
        var line = JsonDocument.Parse(Assert.Single(stdout)).RootElement;
        Assert.Equal("media-job", line.GetProperty("type").GetString());
        Assert.Equal(request.JobId, line.GetProperty("jobId").GetString());
        var result = await MediaJobResultFile.ReadAsync(request);
        Assert.NotNull(result);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([240, 480, 720], result.Renditions.Select(r => r.ShortSide));
        Assert.True(File.Exists(result.MasterPlaylistPath));
        foreach (var rendition in result.Renditions)
        {
            Assert.StartsWith(request.OutputDirectory + Path.DirectorySeparatorChar, rendition.Mp4Path, StringComparison.Ordinal);
            var height = await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=height", "-of", "csv=p=0", rendition.Mp4Path);
            var duration = double.Parse(await Ffprobe.RunAsync("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", rendition.Mp4Path), CultureInfo.InvariantCulture);
            Assert.Equal(rendition.ShortSide.ToString(CultureInfo.InvariantCulture), height);
            Assert.InRange(duration, MediaJobClipFixture.Seconds - 0.2, MediaJobClipFixture.Seconds + 0.2);
        }
    }

    [Fact]
    public async Task MediaJob_MissingInput_ExitsOneWithAFailedResultNamingInput()
    {
        var request = Request(MediaJobOperation.Thumbnails, Path.Combine(fixture.Folder, "no-such-recording.mp4"));

        var (exitCode, stdout, stderr) = await RunAsync(request);

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        var result = await MediaJobResultFile.ReadAsync(request);
        Assert.NotNull(result);
        Assert.False(result.Succeeded);
        Assert.StartsWith("input:", result.Error, StringComparison.Ordinal);
        Assert.Contains("failed: media job", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MediaJob_LockHeldByAnotherProcess_ExitsSeventyFiveAndWritesNothing()
    {
        var request = Request(MediaJobOperation.Thumbnails, fixture.Clip);
        using var held = MediaJobLock.TryTake(request);
        Assert.NotNull(held);

        var (exitCode, stdout, stderr) = await RunAsync(request);

        Assert.Equal(75, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("busy: media job", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(request.ResultPath));
        Assert.False(Directory.Exists(request.OutputDirectory));
    }

    [Theory]
    [InlineData("{ not json", "--request (json)")]
    [InlineData("""{"jobId":"j","operation":"ladder","input":"/in.mp4"}""", "--request (json)")]
    [InlineData("""{"jobId":"j","operation":"thumbnails","input":"/in.mp4","outputDirectory":"relative/out"}""", "--request outputDirectory (absolute-folder)")]
    [InlineData("""{"jobId":"j","operation":"thumbnails","input":"/in.mp4","outputDirectory":"/tmp/a/.."}""", "--request outputDirectory (absolute-folder)")]
    [InlineData(null, "--request (readable)")]
    public async Task MediaJob_RequestThatCannotBeReported_ExitsTwoNamingTheRule(string? text, string expected)
    {
        var file = Path.Combine(TestMedia.NewFolder("mediajob-bad-"), "request.json");
        if (text is not null)
        {
            await File.WriteAllTextAsync(file, text);
        }

        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(["media-job", "--request", file], Deadline);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("error: " + expected, stderr, StringComparison.Ordinal);
        // Nothing beside the request: no lock, no result, no output folder.
        string[] left = text is null ? [] : [file];
        Assert.Equal(left, Directory.GetFileSystemEntries(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public async Task MediaJob_Sigterm_StopsFfmpegExitsWith143AndWritesNoResult()
    {
        // The slowest preset on a 720p ladder runs far longer than the wait for the signal below.
        var request = Request(MediaJobOperation.Ladder, fixture.Clip) with { Rungs = [240, 480, 720], X264Preset = "placebo" };
        var file = await WriteRequestAsync(request);
        await using var worker = WorkerProcess.Start(["media-job", "--request", file]);

        var ffmpeg = 0;
        await Eventually.UntilAsync(() => (ffmpeg = ProcessTable.ChildrenOf(worker.Id).FirstOrDefault(FfmpegProcess.Is)) != 0, Deadline, "the ladder's ffmpeg to start");
        worker.Signal(Posix.SigTerm);
        var exitCode = await worker.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 143, worker.Tail());
        Assert.Contains($"stopped: media job {request.JobId} was stopped on request", worker.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Lines, l => l.StartsWith("{\"type\"", StringComparison.Ordinal));
        Assert.False(File.Exists(request.ResultPath));
        Assert.False(FfmpegProcess.Is(ffmpeg), "the worker's ffmpeg must have ended");
    }

    private static MediaJobRequest Request(MediaJobOperation operation, string input) => new()
    {
        JobId = $"job-{Guid.NewGuid():N}",
        Operation = operation,
        Input = input,
        OutputDirectory = Path.Combine(TestMedia.NewFolder("mediajob-out-"), operation == MediaJobOperation.Ladder ? "ladder" : "thumbnails"),
        ThumbnailInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>The request file where the service writes it: beside the output folder.</summary>
    private static async Task<string> WriteRequestAsync(MediaJobRequest request)
    {
        var file = request.OutputDirectory + ".request.json";
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(request, ManifestJson.Options));
        return file;
    }

    private static async Task<(int ExitCode, string[] Stdout, string Stderr)> RunAsync(MediaJobRequest request)
        => await WorkerProcess.RunAsync(["media-job", "--request", await WriteRequestAsync(request)], Deadline);
}
