using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Recording.Media.Capture;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.Media.Sources;

namespace Recording.Worker.Commands;

/// <summary>
/// One job execution on one start message: claim the recording's folder, re-announce what an earlier execution left there, run
/// the capture exactly as the capture command does, send every event in order, stop on the control queue's stop request, and
/// delete the start message only once the capture has ended and its exited event is on the events queue.
/// </summary>
internal sealed partial class JobExecution
{
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    private readonly QueueServiceClient service;
    private readonly QueueClient startQueue;
    private readonly JobSettings settings;
    private readonly EventWriter stdout;
    private readonly ILogger logger;
    private readonly string executionId = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}";

    public JobExecution(QueueServiceClient service, JobSettings settings, EventWriter stdout, ILogger logger)
    {
        this.service = service;
        this.settings = settings;
        this.stdout = stdout;
        this.logger = logger;
        startQueue = service.GetQueueClient(settings.StartQueue);
    }

    /// <summary>Set by SIGINT/SIGTERM: the platform is ending this execution, so the capture stops and the message goes back for the next one.</summary>
    public CancellationTokenSource Handover { get; } = new();

    public async Task<int> RunAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        JobStartMessage start;
        CaptureOptions options;
        LiveSource source;
        try
        {
            start = Parse(message.Body.ToString());
            options = ToCaptureOptions(start);
            options.Validate();
            var policy = new SourcePolicy(new SourcePolicyOptions { AllowPrivateNetworks = start.AllowPrivateNetworks && settings.AllowPrivateNetworks });
            source = await policy.ValidateAsync(start.SourceUrl!, cancellationToken);
        }
        catch (Exception ex) when (ex is JobInputException or CaptureOptionsException or SourceRejectedException)
        {
            var detail = ex switch
            {
                CaptureOptionsException o => $"{o.Field} ({o.Rule}): {o.Message[(o.Message.IndexOf(':', StringComparison.Ordinal) + 2)..]}",
                SourceRejectedException s => $"sourceUrl ({s.Rule}): {s.Message}",
                _ => ex.Message,
            };
            await RefuseAsync(message, detail, cancellationToken);
            return CaptureCommand.ExitBadInput;
        }

        var (claim, heldBy) = JobFolderClaim.TryTake(options.OutputDirectory, message.MessageId, executionId);
        if (claim is null)
        {
            if (heldBy == message.MessageId)
            {
                // Our own message, back because its holder's renewal lapsed: the holder is alive (it holds the lock) and finishes it.
                HeldByLiveExecution(logger, start.RecordingId!);
                return 0;
            }

            DuplicateStart(logger, start.RecordingId!, message.MessageId, heldBy);
            await startQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return 0;
        }

        using (claim)
        {
            await using var lease = new JobMessageLease(startQueue, message, settings.VisibilityTimeout, logger);
            var publisher = new JobEventPublisher(service.GetQueueClient(start.EventsQueue), message.MessageId, executionId, stdout, logger);
            var control = service.GetQueueClient(start.ControlQueue);
            await using var watcher = new JobStopWatcher(control, start.RecordingId!, settings.StopPollInterval, logger);

            if (JobFolderClaim.ReadDone(options.OutputDirectory) is { } done)
            {
                // A duplicate (or a redelivery after a crash during cleanup) of a job that finished: report the end again, capture nothing.
                await AnnounceFolderAsync(options, publisher, cancellationToken);
                publisher.Publish(done);
                await publisher.DrainAsync();
                await lease.CompleteAsync(cancellationToken);
                await watcher.CompleteAsync(cancellationToken);
                return 0;
            }

            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                var failed = await FinishWithoutCaptureAsync(options, publisher, $"the capture job was started {message.DequeueCount} times without finishing (it keeps crashing); what it recorded is kept", cancellationToken);
                claim.MarkDone(failed);
                await SetAsideAsync(message, cancellationToken);
                await lease.CompleteAsync(cancellationToken);
                await watcher.CompleteAsync(cancellationToken);
                return CaptureCommand.ExitFailed;
            }

            // An earlier execution may have died after closing segments whose events never left: announce the folder again
            // (delivery is at least once; the orchestrator keys segments by index).
            await AnnounceFolderAsync(options, publisher, cancellationToken);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(watcher.Stopping, Handover.Token, cancellationToken);
            CaptureExited? exited = null;
            using var session = new CaptureSession(source, options, new FfmpegRunner(settings.Ffmpeg), settings.Ffmpeg, logger);
            var outcome = await session.RunAsync(
                e =>
                {
                    if (e is CaptureExited end)
                    {
                        exited = end;
                        if (Handover.IsCancellationRequested && !watcher.Stopping.IsCancellationRequested)
                        {
                            // Not the end of the recording: the next execution resumes it and reports its end.
                            stdout.Write(e);
                            return;
                        }
                    }

                    publisher.Publish(e);
                },
                stop.Token);
            await publisher.DrainAsync();
            if (Handover.IsCancellationRequested && !watcher.Stopping.IsCancellationRequested)
            {
                HandedOver(logger, start.RecordingId!);
                await lease.ReleaseAsync(cancellationToken);
                return 0;
            }

            claim.MarkDone(exited!);
            await lease.CompleteAsync(cancellationToken);
            await watcher.CompleteAsync(cancellationToken);
            return outcome.Reason switch
            {
                CaptureExitReason.Stopped or CaptureExitReason.MaxDuration => 0,
                CaptureExitReason.SourceLost => CaptureCommand.ExitSourceLost,
                CaptureExitReason.DiskLow => CaptureCommand.ExitDiskLow,
                _ => CaptureCommand.ExitFailed,
            };
        }
    }

    private JobStartMessage Parse(string text)
    {
        JobStartMessage? start;
        try
        {
            start = JsonSerializer.Deserialize<JobStartMessage>(text, Json);
        }
        catch (JsonException ex)
        {
            throw new JobInputException("message", "json", $"the start message is not valid JSON ({ex.Message}).");
        }

        if (start is null)
        {
            throw new JobInputException("message", "json", "the start message is empty.");
        }

        if (start.Version != JobStartMessage.SupportedVersion)
        {
            throw new JobInputException("version", "supported-version", $"version {start.Version} is not {JobStartMessage.SupportedVersion}, the one this worker reads.");
        }

        if (string.IsNullOrWhiteSpace(start.SourceUrl))
        {
            throw new JobInputException("sourceUrl", "required", "the start message names no source.");
        }

        foreach (var (field, value) in new[] { ("eventsQueue", start.EventsQueue), ("controlQueue", start.ControlQueue) })
        {
            if (value is null || !QueueName().IsMatch(value) || value.Contains("--", StringComparison.Ordinal))
            {
                throw new JobInputException(field, "queue-name", "must be an Azure queue name (3 to 63 lowercase letters, digits or single hyphens).");
            }
        }

        return start;
    }

    private CaptureOptions ToCaptureOptions(JobStartMessage start) => new()
    {
        RecordingId = start.RecordingId ?? "",
        OutputDirectory = ResolveOutput(start.OutputDirectory),
        Format = start.Format switch
        {
            "fmp4" => SegmentFormat.Fmp4,
            "mp4" => SegmentFormat.Mp4,
            "flv" => SegmentFormat.Flv,
            "ts" => SegmentFormat.Ts,
            "hls" => SegmentFormat.Hls,
            "m4a" => SegmentFormat.M4a,
            var other => throw new JobInputException("format", "one-of", $"'{other}' is not one of fmp4, mp4, flv, ts, hls, m4a."),
        },
        SegmentLength = start.SegmentLength,
        AllowShortSegments = start.AllowShortSegments,
        ResumeWindow = start.ResumeWindow,
        MaxDuration = start.MaxDuration,
        MinFreeDiskBytes = settings.MinFreeDiskBytes,
    };

    private string ResolveOutput(string? folder)
    {
        if (string.IsNullOrWhiteSpace(folder) || folder.Contains('\0', StringComparison.Ordinal))
        {
            throw new JobInputException("outputDirectory", "required", "the start message names no output folder.");
        }

        if (settings.OutputRoot is null)
        {
            return Path.GetFullPath(folder);
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.OutputRoot));
        var resolved = Path.GetFullPath(folder, root);
        if (!resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new JobInputException("outputDirectory", "inside-output-root", "must lie inside the job's --output-root.");
        }

        return resolved;
    }

    private async Task<IReadOnlyList<SegmentEntry>> AnnounceFolderAsync(CaptureOptions options, JobEventPublisher publisher, CancellationToken cancellationToken)
    {
        var naming = new SegmentNaming(options.Format, options.HlsSegmentType);
        var recovered = await new CrashRecovery(new SegmentInspector(new MediaProbe(settings.Ffmpeg))).RecoverAsync(options.OutputDirectory, naming, cancellationToken);
        foreach (var segment in recovered.Segments)
        {
            publisher.Publish(new SegmentReady { RecordingId = options.RecordingId, At = DateTimeOffset.UtcNow, Segment = segment });
        }

        return recovered.Segments;
    }

    private async Task<CaptureExited> FinishWithoutCaptureAsync(CaptureOptions options, JobEventPublisher publisher, string detail, CancellationToken cancellationToken)
    {
        var segments = await AnnounceFolderAsync(options, publisher, cancellationToken);
        var exited = new CaptureExited
        {
            RecordingId = options.RecordingId,
            At = DateTimeOffset.UtcNow,
            Reason = CaptureExitReason.Failed,
            Segments = segments.Count,
            TotalDurationSeconds = Math.Round(segments.Sum(s => s.DurationSeconds), 3),
            TotalBytes = segments.Sum(s => s.Bytes),
            Detail = detail,
        };
        publisher.Publish(exited);
        await publisher.DrainAsync();
        return exited;
    }

    /// <summary>A start message that can never run: report why (when it says where to), set it aside on {start}-poison, delete it.</summary>
    private async Task RefuseAsync(QueueMessage message, string detail, CancellationToken cancellationToken)
    {
        RefusedMessage(logger, message.MessageId, detail);
        JobStartMessage? start = null;
        try
        {
            start = JsonSerializer.Deserialize<JobStartMessage>(message.Body.ToString(), Json);
        }
        catch (JsonException)
        {
        }

        if (start is { RecordingId: { Length: > 0 } id, EventsQueue: { } events } && QueueName().IsMatch(events))
        {
            await using var publisher = new JobEventPublisher(service.GetQueueClient(events), message.MessageId, executionId, stdout, logger);
            publisher.Publish(new CaptureExited { RecordingId = id, At = DateTimeOffset.UtcNow, Reason = CaptureExitReason.Failed, Segments = 0, TotalDurationSeconds = 0, TotalBytes = 0, Detail = detail });
        }

        await SetAsideAsync(message, cancellationToken);
        await startQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    /// <summary>Copies a start message to {start}-poison, where an operator can read why it never ran.</summary>
    private async Task SetAsideAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var poison = service.GetQueueClient(settings.StartQueue + "-poison");
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} is being captured by a live execution holding the same message; leaving it")]
    private static partial void HeldByLiveExecution(ILogger logger, string recordingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Duplicate start of {RecordingId} (message {MessageId}; the capture runs under {HeldBy}): deleted")]
    private static partial void DuplicateStart(ILogger logger, string recordingId, string messageId, string? heldBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture of {RecordingId} handed over: the start message is visible again for the next execution")]
    private static partial void HandedOver(ILogger logger, string recordingId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Start message {MessageId} refused: {Detail}")]
    private static partial void RefusedMessage(ILogger logger, string messageId, string detail);
}
