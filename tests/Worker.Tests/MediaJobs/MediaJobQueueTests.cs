using System.Text.Json;
using Azure.Storage.Queues;
using Recording.Media.Jobs;
using Recording.Media.Manifest;
using Recording.TestSupport;
using Recording.Worker.Tests.Jobs;

namespace Recording.Worker.Tests.MediaJobs;

/// <summary>
/// `media-job --once` against Azurite, as one execution of the Container Apps job: a request message runs and is deleted once
/// its result is written; a duplicate, a hostile message and a job that keeps crashing are dealt with without running ffmpeg.
/// Every test confines the worker to an --output-root of its own and puts the input there, as the shared mount would.
/// </summary>
public sealed class MediaJobQueueTests(MediaJobClipFixture clip, JobAzuriteFixture azurite) : IClassFixture<MediaJobClipFixture>, IClassFixture<JobAzuriteFixture>
{
    private static readonly JsonSerializerOptions MessageJson = new(ManifestJson.Options) { WriteIndented = false };

    [Fact]
    public async Task MediaJob_ThumbnailsMessage_WritesTheResultAndDeletesTheMessage()
    {
        var root = NewRoot();
        var request = Request(root, InputIn(root));
        var queue = await QueueWithAsync(request);

        var (exitCode, stdout, stderr) = await RunAsync(queue, root);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("media-job", JsonDocument.Parse(Assert.Single(stdout)).RootElement.GetProperty("type").GetString());
        var result = await MediaJobResultFile.ReadAsync(request);
        Assert.NotNull(result);
        Assert.True(result.Succeeded, result.Error);
        Assert.True(File.Exists(result.PosterPath));
        Assert.True(File.Exists(result.WebVttPath));
        Assert.Contains("-->", await File.ReadAllTextAsync(result.WebVttPath!), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(queue));
        Assert.False(await PoisonOf(queue).ExistsAsync());
    }

    [Fact]
    public async Task MediaJob_RequestWithACorrelationId_GetsAReplyOnTheWorkersReplyQueue_SayingWhatTheResultFileSays()
    {
        var root = NewRoot();
        var request = Request(root, InputIn(root)) with { CorrelationId = "rec-reply" };
        var queue = await QueueWithAsync(request);
        var replies = azurite.Queues.GetQueueClient($"mr-{Guid.NewGuid():N}"[..24]);
        await replies.CreateAsync();

        var (exitCode, _, stderr) = await RunAsync(queue, root, "--reply-queue", replies.Name);

        Assert.True(exitCode == 0, stderr);
        var message = Assert.Single((await replies.ReceiveMessagesAsync(32)).Value);
        var reply = JsonSerializer.Deserialize<MediaJobReply>(message.Body.ToString(), MessageJson)!;
        Assert.Equal((MediaJobReply.MessageType, "rec-reply", MediaJobOperation.Thumbnails), (reply.Type, reply.CorrelationId, reply.Operation));
        var result = await MediaJobResultFile.ReadAsync(request);
        Assert.Equal((result!.JobId, result.Succeeded, result.PosterPath, result.WebVttPath), (reply.Result.JobId, reply.Result.Succeeded, reply.Result.PosterPath, reply.Result.WebVttPath));
        Assert.Equal(0, await CountAsync(queue));
    }

    [Fact]
    public async Task MediaJob_DuplicateOfAFinishedJob_IsDeletedWithoutRunning()
    {
        var root = NewRoot();
        var request = Request(root, InputIn(root));
        await MediaJobResultFile.WriteAsync(request, new MediaJobResult { JobId = request.JobId, Succeeded = true, PosterPath = Path.Combine(request.OutputDirectory, "poster.jpg") });
        var before = await File.ReadAllBytesAsync(request.ResultPath);
        // A run would empty the output folder before anything else.
        Directory.CreateDirectory(request.OutputDirectory);
        var earlierOutput = Path.Combine(request.OutputDirectory, "poster.jpg");
        await File.WriteAllTextAsync(earlierOutput, "the first run's poster");
        var queue = await QueueWithAsync(request);

        var (exitCode, stdout, stderr) = await RunAsync(queue, root);

        Assert.True(exitCode == 0, stderr);
        Assert.Empty(stdout);
        Assert.Equal(before, await File.ReadAllBytesAsync(request.ResultPath));
        Assert.True(File.Exists(earlierOutput));
        Assert.Equal(0, await CountAsync(queue));
    }

    [Theory]
    [InlineData("outside")]
    [InlineData("dot-dot")]
    [InlineData("root-itself")]
    public async Task MediaJob_OutputOutsideTheRoot_IsSetAsideAndNothingIsWritten(string where)
    {
        var parent = Directory.CreateTempSubdirectory("mediajob-hostile-").FullName;
        var root = Directory.CreateDirectory(Path.Combine(parent, "root")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(parent, "outside")).FullName;
        var input = InputIn(root);
        var request = Request(root, input) with
        {
            OutputDirectory = where switch
            {
                "outside" => Path.Combine(outside, "job"),
                "dot-dot" => root + "/../outside/job",
                _ => root,
            },
        };
        var queue = await QueueWithAsync(request);

        var (exitCode, stdout, stderr) = await RunAsync(queue, root);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("outputDirectory (", stderr, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(queue));
        Assert.Equal(1, await CountAsync(PoisonOf(queue)));
        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.Equal([input], Directory.GetFileSystemEntries(root));
        Assert.Equal([outside, root], Directory.GetFileSystemEntries(parent).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MediaJob_InputOutsideTheRoot_IsReportedFailedWithoutRunning()
    {
        var root = NewRoot();
        var request = Request(root, clip.Clip);
        var queue = await QueueWithAsync(request);

        var (exitCode, stdout, _) = await RunAsync(queue, root);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        var result = await MediaJobResultFile.ReadAsync(request);
        Assert.NotNull(result);
        Assert.False(result.Succeeded);
        Assert.StartsWith("input (inside-output-root)", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(request.OutputDirectory));
        Assert.Equal(0, await CountAsync(queue));
    }

    [Fact]
    public async Task MediaJob_DeliveredMoreOftenThanTheMaximum_IsReportedFailedAndSetAside()
    {
        var root = NewRoot();
        var request = Request(root, InputIn(root));
        var queue = await QueueWithAsync(request);
        // The first delivery, to an execution that then "crashed": the message is made visible again at once.
        var first = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, visibilityTimeout: TimeSpan.Zero);

        var (exitCode, stdout, _) = await RunAsync(queue, root, "--max-dequeue-count", "1");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        var result = await MediaJobResultFile.ReadAsync(request);
        Assert.NotNull(result);
        Assert.False(result.Succeeded);
        Assert.Contains("started 2 times without finishing", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(request.OutputDirectory));
        Assert.Equal(0, await CountAsync(queue));
        Assert.Equal(1, await CountAsync(PoisonOf(queue)));
    }

    [Fact]
    public async Task MediaJob_LockHeldByALiveProcess_LeavesTheMessageToIt()
    {
        var root = NewRoot();
        var request = Request(root, InputIn(root));
        var queue = await QueueWithAsync(request);
        using var held = MediaJobLock.TryTake(request);
        Assert.NotNull(held);

        var (exitCode, stdout, stderr) = await RunAsync(queue, root);

        Assert.True(exitCode == 0, stderr);
        Assert.Empty(stdout);
        Assert.False(File.Exists(request.ResultPath));
        Assert.False(Directory.Exists(request.OutputDirectory));
        // Still queued (hidden for the visibility timeout), for the holder to delete or to meet again as a duplicate.
        Assert.Equal(1, await CountAsync(queue));
        Assert.False(await PoisonOf(queue).ExistsAsync());
    }

    [Fact]
    public async Task MediaJob_Sigterm_StopsFfmpegAndHandsTheMessageBackAtOnce()
    {
        var root = NewRoot();
        // The slowest preset on a 720p ladder runs far longer than the wait for the signal below.
        var request = Request(root, InputIn(root)) with { Operation = MediaJobOperation.Ladder, Rungs = [240, 480, 720], X264Preset = "placebo", OutputDirectory = Path.Combine(root, "ladder") };
        var queue = await QueueWithAsync(request);
        // A visibility timeout far longer than the test: only the hand-back can make the message visible in time.
        await using var worker = WorkerProcess.Start(
            ["media-job", "--queue", queue.Name, "--once", "--wait", "5s", "--visibility-timeout", "10m", "--output-root", root],
            new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = azurite.Azurite.ConnectionString });

        await Eventually.UntilAsync(() => ProcessTable.ChildrenOf(worker.Id).Any(FfmpegProcess.Is), TimeSpan.FromSeconds(120), "the ladder's ffmpeg to start");
        worker.Signal(Posix.SigTerm);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, worker.Tail());
        Assert.DoesNotContain(worker.Lines, l => l.StartsWith("{\"type\"", StringComparison.Ordinal));
        Assert.False(File.Exists(request.ResultPath));
        var returned = (await queue.ReceiveMessageAsync()).Value;
        Assert.NotNull(returned);
        Assert.Equal(request.JobId, MediaJobRequestJsonOf(returned.Body.ToString()).JobId);
        // Delivered to the worker, then to this receive: handed back, not left to its 10 minute timeout.
        Assert.Equal(2, returned.DequeueCount);
    }

    [Fact]
    public async Task MediaJob_MessageThatIsNotARequest_IsSetAside()
    {
        var queue = azurite.Queues.GetQueueClient($"mj-{Guid.NewGuid():N}"[..24]);
        await queue.CreateAsync();
        await queue.SendMessageAsync("""{"jobId":"no-paths"}""");

        var (exitCode, stdout, stderr) = await RunAsync(queue, NewRoot());

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("message (json)", stderr, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(queue));
        Assert.Equal(1, await CountAsync(PoisonOf(queue)));
    }

    private static MediaJobRequest MediaJobRequestJsonOf(string body) => JsonSerializer.Deserialize<MediaJobRequest>(body, MessageJson)!;

    private static string NewRoot() => Directory.CreateTempSubdirectory("mediajob-root-").FullName;

    /// <summary>The recording, copied into the root as it would lie on the shared mount.</summary>
    private string InputIn(string root)
    {
        var input = Path.Combine(root, "spliced.mp4");
        File.Copy(clip.Clip, input);
        return input;
    }

    private static MediaJobRequest Request(string root, string input) => new()
    {
        JobId = $"job-{Guid.NewGuid():N}",
        Operation = MediaJobOperation.Thumbnails,
        Input = input,
        OutputDirectory = Path.Combine(root, "thumbnails"),
        ThumbnailInterval = TimeSpan.FromSeconds(1),
    };

    private async Task<QueueClient> QueueWithAsync(MediaJobRequest request)
    {
        var queue = azurite.Queues.GetQueueClient($"mj-{Guid.NewGuid():N}"[..24]);
        await queue.CreateAsync();
        await queue.SendMessageAsync(JsonSerializer.Serialize(request, MessageJson));
        return queue;
    }

    private QueueClient PoisonOf(QueueClient queue) => azurite.Queues.GetQueueClient(queue.Name + "-poison");

    private static async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private Task<(int ExitCode, string[] Stdout, string Stderr)> RunAsync(QueueClient queue, string root, params string[] extra)
        => WorkerProcess.RunAsync(
            ["media-job", "--queue", queue.Name, "--once", "--wait", "5s", "--output-root", root, .. extra],
            TimeSpan.FromSeconds(120),
            new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = azurite.Azurite.ConnectionString });
}
