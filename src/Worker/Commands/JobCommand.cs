using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Recording.Worker.Commands;

/// <summary>
/// `job`: the Azure Container Apps job's entry point. Takes a start message from the job-start queue, captures as the message
/// says (see <see cref="JobExecution"/>), reports every event to the message's events queue, and stops on the recording's
/// control queue. With --once (one execution of an event-triggered job) it handles one message and exits; without, it serves
/// the queue one message at a time. SIGINT/SIGTERM hand the running capture over to the next execution.
/// Exit codes: 0 done (or no message), 2 a start message that can never run, 3 source-lost, 4 disk-low, 1 failed.
/// </summary>
internal static class JobCommand
{
    private static readonly Option<string?> QueueConnection = new("--queue-connection") { Description = $"Storage connection string; prefer the {JobQueueConnection.ConnectionVariable} environment variable (not visible in the process list)." };
    private static readonly Option<Uri?> QueueServiceUri = new("--queue-service-uri") { Description = "Queue endpoint (https://account.queue.core.windows.net), with the job's managed identity." };
    private static readonly Option<string> StartQueue = new("--start-queue") { Description = "The job-start queue.", DefaultValueFactory = _ => "recording-job-start" };
    private static readonly Option<bool> Once = new("--once") { Description = "Handle one start message, then exit (one execution of an event-triggered job)." };
    private static readonly Option<string> Wait = new("--wait") { Description = "With --once: how long to wait for a message before exiting with 0.", DefaultValueFactory = _ => "30s" };
    private static readonly Option<string> VisibilityTimeout = new("--visibility-timeout") { Description = "How long the start message stays hidden per renewal; a crashed job's message returns after this.", DefaultValueFactory = _ => "60s" };
    private static readonly Option<string> StopPollInterval = new("--stop-poll-interval") { Description = "How often the control queue is read for the stop request.", DefaultValueFactory = _ => "1s" };
    private static readonly Option<int> MaxDequeueCount = new("--max-dequeue-count") { Description = "A start message delivered more often than this is reported failed and set aside on {start-queue}-poison.", DefaultValueFactory = _ => 5 };
    private static readonly Option<string?> OutputRoot = new("--output-root") { Description = "Confine output folders to this folder (relative ones are resolved against it)." };
    private static readonly Option<bool> AllowPrivateNetworks = new("--allow-private-networks") { Description = "Allow loopback and private sources when a message asks (local runs only)." };
    private static readonly Option<string> MinFreeDisk = new("--min-free-disk") { Description = "Stop with disk-low below this much free space, e.g. 512M, 2G.", DefaultValueFactory = _ => "512M" };

    public static Command Create()
    {
        var command = new Command("job", "Run capture jobs from the job-start queue (the Azure Container Apps job), reporting events to a queue.");
        foreach (var option in new Option[] { QueueConnection, QueueServiceUri, StartQueue, Once, Wait, VisibilityTimeout, StopPollInterval, MaxDequeueCount, OutputRoot, AllowPrivateNetworks, MinFreeDisk })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => RunAsync(result, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        using var loggerFactory = WorkerLogging.CreateFactory();
        var logger = loggerFactory.CreateLogger("job");

        JobSettings settings;
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
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return CaptureCommand.ExitBadInput;
        }

        var once = result.GetValue(Once);
        using var stdout = EventWriter.Open(Console.Out, eventsFile: null);
        var startQueue = service.GetQueueClient(settings.StartQueue);
        JobExecution? running = null;
        using var ended = new StopSignals(cancellationToken, () => running?.Handover.Cancel());
        var exitCode = 0;
        while (!ended.IsCancellationRequested)
        {
            var message = await QueueMessageReceiver.ReceiveAsync(startQueue, settings.VisibilityTimeout, once ? wait : Timeout.InfiniteTimeSpan, logger, ended.Token);
            if (message is null)
            {
                break;
            }

            running = new JobExecution(service, settings, stdout, logger);
            // Capture runs until the stop request or a limit; a signal ends it through Handover, not this token, so that the
            // open segment is finalised and the message handed back.
            exitCode = await running.RunAsync(message, CancellationToken.None);
            running.Handover.Dispose();
            running = null;
            if (once)
            {
                break;
            }
        }

        return exitCode;
    }

    private static JobSettings ReadSettings(ParseResult result)
    {
        var visibility = JobOptionRules.VisibilityTimeout("--visibility-timeout", result.GetValue(VisibilityTimeout)!);

        var poll = JobOptionRules.Duration("--stop-poll-interval", result.GetValue(StopPollInterval)!);
        if (poll < TimeSpan.FromMilliseconds(100) || poll > TimeSpan.FromMinutes(1))
        {
            throw new JobInputException("--stop-poll-interval", "range", "must be between 100 ms and 1 minute.");
        }

        var maxDequeue = JobOptionRules.MaxDequeueCount("--max-dequeue-count", result.GetValue(MaxDequeueCount));
        var startQueue = JobOptionRules.QueueName("--start-queue", result.GetValue(StartQueue)!);

        var minFree = result.GetValue(MinFreeDisk)!;
        return new JobSettings
        {
            StartQueue = startQueue,
            VisibilityTimeout = visibility,
            StopPollInterval = poll,
            MaxDequeueCount = maxDequeue,
            OutputRoot = result.GetValue(OutputRoot),
            AllowPrivateNetworks = result.GetValue(AllowPrivateNetworks),
            MinFreeDiskBytes = ByteSizeText.TryParse(minFree, out var bytes) ? bytes : throw new JobInputException("--min-free-disk", "size-format", $"'{minFree}' is not a size such as 512M or 2G."),
            Ffmpeg = WorkerFfmpeg.FromEnvironment(),
        };
    }
}
