using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Recording.Media.Jobs;

namespace Recording.Worker.Commands;

/// <summary>
/// `media-job`: runs post-processing (a ladder, thumbnails) as a media worker job, outside the service's activities, and
/// writes the outcome to the job's result file, where the service reads it (DESIGN.md). Two modes:
/// <list type="bullet">
/// <item>`--request FILE` (a child process of the local service): runs the request in the file. Exit codes: 0 succeeded,
/// 1 failed (the result file says why), 2 a request that cannot be read or reported, 75 the job runs in another process
/// (EX_TEMPFAIL), 143 stopped by SIGINT/SIGTERM (no result written).</item>
/// <item>queue mode (the Azure Container Apps job): takes messages from the media-job queue, one at a time, see
/// <see cref="MediaJobMessageHandler"/> for what each ends in. Exit codes as the job command: 0 done (or no message, or
/// handed back on SIGTERM), 1 the job failed, 2 a refused message.</item>
/// </list>
/// stdout gets one JSON line per succeeded job (type media-job); errors and logs go to stderr.
/// </summary>
internal static class MediaJobCommand
{
    public const string ResultType = "media-job";
    public const int ExitHeldElsewhere = 75;

    /// <summary>How long a worker waits for a job's lock before it leaves the job to the process that holds it.</summary>
    private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(2);

    private static readonly Option<string?> Request = new("--request") { Description = "Run the MediaJobRequest JSON in this file (local mode), rather than reading the queue." };
    private static readonly Option<string?> QueueConnection = new("--queue-connection") { Description = $"Storage connection string; prefer the {JobQueueConnection.ConnectionVariable} environment variable (not visible in the process list)." };
    private static readonly Option<Uri?> QueueServiceUri = new("--queue-service-uri") { Description = "Queue endpoint (https://account.queue.core.windows.net), with the job's managed identity." };
    private static readonly Option<string> Queue = new("--queue") { Description = "The media-job queue.", DefaultValueFactory = _ => "recording-media-jobs" };
    private static readonly Option<bool> Once = new("--once") { Description = "Handle one message, then exit (one execution of an event-triggered job)." };
    private static readonly Option<string> Wait = new("--wait") { Description = "With --once: how long to wait for a message before exiting with 0.", DefaultValueFactory = _ => "30s" };
    private static readonly Option<string> VisibilityTimeout = new("--visibility-timeout") { Description = "How long a message stays hidden per renewal; a crashed job's message returns after this.", DefaultValueFactory = _ => "60s" };
    private static readonly Option<int> MaxDequeueCount = new("--max-dequeue-count") { Description = "A message delivered more often than this is reported failed and set aside on {queue}-poison.", DefaultValueFactory = _ => 3 };
    private static readonly Option<string> ReplyQueue = new("--reply-queue") { Description = "Where a finished job's reply goes when its request carries a correlation id: the service's events queue.", DefaultValueFactory = _ => "recording-job-events" };
    private static readonly Option<string?> OutputRoot = new("--output-root") { Description = "An existing folder that every message's input and output folder must lie inside; others are refused." };

    public static Command Create()
    {
        var command = new Command("media-job", "Run a media job (ladder, thumbnails) from a request file, or media jobs from the media-job queue, writing each job's result file.");
        foreach (var option in new Option[] { Request, QueueConnection, QueueServiceUri, Queue, Once, Wait, VisibilityTimeout, MaxDequeueCount, ReplyQueue, OutputRoot })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => result.GetValue(Request) is { } file
            ? RunRequestFileAsync(result, file, cancellationToken)
            : RunQueueAsync(result, cancellationToken));
        return command;
    }

    private static async Task<int> RunRequestFileAsync(ParseResult result, string file, CancellationToken cancellationToken)
    {
        var queueOption = new Option[] { QueueConnection, QueueServiceUri, Once, ReplyQueue, OutputRoot }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
        if (queueOption is not null)
        {
            return await BadInputAsync($"--request (one-mode): runs one request file; {queueOption.Name} is for queue mode.");
        }

        MediaJobRequest request;
        try
        {
            request = MediaJobRequestJson.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await BadInputAsync($"--request (readable): cannot read '{file}': {ex.Message}");
        }
        catch (JsonException ex)
        {
            return await BadInputAsync($"--request (json): '{file}' is not a media job request ({ex.Message}).");
        }

        if (MediaJobRequestJson.Unreportable(request) is { } unreportable)
        {
            return await BadInputAsync($"--request {unreportable}");
        }

        using var jobLock = await MediaJobLock.TakeAsync(request, LockPatience, cancellationToken);
        if (jobLock is null)
        {
            await Console.Error.WriteLineAsync($"busy: media job {request.JobId} is running in another process (it holds {request.LockPath}); nothing was done.");
            return ExitHeldElsewhere;
        }

        if (await MediaJobResultFile.ReadAsync(request, cancellationToken) is { } earlier)
        {
            // A second start of a job that has finished (the supervisor looked between the first worker's start and its lock):
            // the result stands, and running again would empty the folder that the upload reads.
            await Console.Error.WriteLineAsync($"done: media job {request.JobId} already has a result ({request.ResultPath}); nothing was run.");
            return earlier.Succeeded ? MediaOperation.Ok : MediaOperation.Failed;
        }

        using var stop = new StopSignals(cancellationToken);
        MediaJobResult outcome;
        try
        {
            outcome = await new MediaJobExecutor(WorkerFfmpeg.FromEnvironment()).RunAsync(request, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"stopped: media job {request.JobId} was stopped on request; no result was written.");
            return MediaOperation.Stopped;
        }

        if (!outcome.Succeeded)
        {
            await Console.Error.WriteLineAsync($"failed: media job {request.JobId}: {outcome.Error} (in {request.ResultPath})");
            return MediaOperation.Failed;
        }

        await Console.Out.WriteLineAsync(MediaOperation.ResultLine(ResultType, outcome));
        await Console.Out.FlushAsync(CancellationToken.None);
        return MediaOperation.Ok;
    }

    private static async Task<int> RunQueueAsync(ParseResult result, CancellationToken cancellationToken)
    {
        using var loggerFactory = WorkerLogging.CreateFactory();
        var logger = loggerFactory.CreateLogger("media-job");

        MediaJobSettings settings;
        Azure.Storage.Queues.QueueServiceClient service;
        TimeSpan wait;
        try
        {
            settings = ReadSettings(result);
            wait = JobOptionRules.Duration("--wait", result.GetValue(Wait)!);
            service = JobQueueConnection.Create(result.GetValue(QueueConnection), result.GetValue(QueueServiceUri));
        }
        catch (JobInputException ex)
        {
            return await BadInputAsync(ex.Message);
        }

        var once = result.GetValue(Once);
        var queue = service.GetQueueClient(settings.Queue);
        var handler = new MediaJobMessageHandler(service, settings, logger);
        using var ended = new StopSignals(cancellationToken);
        var exitCode = MediaOperation.Ok;
        while (!ended.IsCancellationRequested)
        {
            var message = await QueueMessageReceiver.ReceiveAsync(queue, settings.VisibilityTimeout, once ? wait : Timeout.InfiniteTimeSpan, logger, ended.Token);
            if (message is null)
            {
                break;
            }

            exitCode = await handler.HandleAsync(message, ended.Token);
            if (once)
            {
                break;
            }
        }

        return exitCode;
    }

    private static MediaJobSettings ReadSettings(ParseResult result)
    {
        var root = result.GetValue(OutputRoot);
        if (root is not null && (root.Contains('\0', StringComparison.Ordinal) || !Directory.Exists(root)))
        {
            throw new JobInputException("--output-root", "existing-folder", "must be an existing folder.");
        }

        if (result.GetValue(ReplyQueue) == result.GetValue(Queue))
        {
            throw new JobInputException("--reply-queue", "distinct", "must differ from --queue: the worker would read its own replies as jobs.");
        }

        return new MediaJobSettings
        {
            Queue = JobOptionRules.QueueName("--queue", result.GetValue(Queue)!),
            VisibilityTimeout = JobOptionRules.VisibilityTimeout("--visibility-timeout", result.GetValue(VisibilityTimeout)!),
            MaxDequeueCount = JobOptionRules.MaxDequeueCount("--max-dequeue-count", result.GetValue(MaxDequeueCount)),
            ReplyQueue = JobOptionRules.QueueName("--reply-queue", result.GetValue(ReplyQueue)!),
            OutputRoot = root is null ? null : Path.GetFullPath(root),
            Ffmpeg = WorkerFfmpeg.FromEnvironment(),
        };
    }

    private static async Task<int> BadInputAsync(string message)
    {
        await Console.Error.WriteLineAsync($"error: {message}");
        return MediaOperation.BadInput;
    }
}
