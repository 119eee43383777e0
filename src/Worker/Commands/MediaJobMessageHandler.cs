using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Recording.Media.Jobs;
using Recording.Media.Manifest;

namespace Recording.Worker.Commands;

/// <summary>
/// One media-job queue message, start to end: refuse what can never run (set aside on {queue}-poison, or reported failed when
/// the result file can be written inside --output-root), drop duplicates of finished jobs, leave a job that a live process
/// holds to that process, report a job that keeps crashing, and otherwise run it under a renewed lease and delete the message
/// once its result is written and the reply (<see cref="MediaJobReply"/>) sent. A stop on request hands the message back at once, for the next execution to run the job again.
/// Returns the exit code of a --once execution: 0 done, duplicate, held elsewhere or handed back; 1 the job failed (its
/// result file says why); 2 refused.
/// </summary>
internal sealed partial class MediaJobMessageHandler(QueueServiceClient service, MediaJobSettings settings, ILogger logger)
{
    private static readonly JsonSerializerOptions ReplyJson = new(ManifestJson.Options) { WriteIndented = false };

    private readonly QueueClient queue = service.GetQueueClient(settings.Queue);

    public async Task<int> HandleAsync(QueueMessage message, CancellationToken stop)
    {
        MediaJobRequest request;
        try
        {
            request = MediaJobRequestJson.Parse(message.Body.ToString());
        }
        catch (JsonException ex)
        {
            await SetAsideAsync(message, $"message (json): not a media job request ({ex.Message})");
            return MediaOperation.BadInput;
        }

        var confinement = settings.OutputRoot is null ? null : new OutputRootConfinement(settings.OutputRoot);
        var unreportable = MediaJobRequestJson.Unreportable(request);
        if (unreportable is null && confinement?.Contains(request.OutputDirectory) == false)
        {
            // Its result file and lock would lie outside the root as well: there is nowhere this worker may report to.
            unreportable = "outputDirectory (inside-output-root): must lie inside the worker's --output-root.";
        }

        if (unreportable is not null)
        {
            await SetAsideAsync(message, unreportable);
            return MediaOperation.BadInput;
        }

        using var jobLock = await MediaJobLock.TakeAsync(request, TimeSpan.FromSeconds(2), CancellationToken.None);
        if (jobLock is null)
        {
            // Its own message, back because the holder's lease lapsed, or a duplicate: the holder finishes the job, and deletes
            // the message or meets it again as a duplicate.
            HeldElsewhere(logger, request.JobId, message.MessageId);
            return MediaOperation.Ok;
        }

        if (await MediaJobResultFile.ReadAsync(request, CancellationToken.None) is { } earlier)
        {
            // Back after its job finished: perhaps the execution died between the result and the message's deletion, before
            // or after its reply. Replying again is harmless; the service takes the first.
            Duplicate(logger, request.JobId, message.MessageId);
            await ReplyAsync(request, earlier);
            await DeleteAsync(message, message.PopReceipt);
            return MediaOperation.Ok;
        }

        if (confinement?.Contains(request.Input) == false)
        {
            await ReportRefusedAsync(message, request, "input (inside-output-root): must lie inside the worker's --output-root.");
            return MediaOperation.BadInput;
        }

        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            var error = $"the media job was started {message.DequeueCount} times without finishing (it keeps crashing or being stopped)";
            var failed = MediaJobResult.Failed(request.JobId, error);
            await MediaJobResultFile.WriteAsync(request, failed, CancellationToken.None);
            await ReplyAsync(request, failed);
            await SetAsideAsync(message, error);
            return MediaOperation.Failed;
        }

        return await RunAsync(message, request, stop);
    }

    private async Task<int> RunAsync(QueueMessage message, MediaJobRequest request, CancellationToken stop)
    {
        Starting(logger, request.JobId, request.Operation, message.MessageId, message.DequeueCount);
        await using var lease = new JobMessageLease(queue, message, settings.VisibilityTimeout, logger);
        MediaJobResult result;
        try
        {
            result = await new MediaJobExecutor(settings.Ffmpeg).RunAsync(request, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The platform is ending this execution: no result, and the message visible now rather than after its timeout.
            await lease.ReleaseAsync(CancellationToken.None);
            HandedBack(logger, request.JobId);
            return MediaOperation.Ok;
        }

        // The reply before the deletion: a crash between the two brings the message back, and the duplicate replies again.
        await ReplyAsync(request, result);
        try
        {
            await lease.CompleteAsync(CancellationToken.None);
        }
        catch (RequestFailedException ex)
        {
            // The lease lapsed and another receive changed the pop receipt: the message comes back and is dropped as a duplicate.
            DeleteFailed(logger, ex, message.MessageId, ex.Status);
        }

        if (!result.Succeeded)
        {
            JobFailed(logger, request.JobId, result.Error);
            return MediaOperation.Failed;
        }

        await Console.Out.WriteLineAsync(MediaOperation.ResultLine(MediaJobCommand.ResultType, result));
        await Console.Out.FlushAsync(CancellationToken.None);
        Finished(logger, request.JobId, result.Elapsed);
        return MediaOperation.Ok;
    }

    /// <summary>A request that can never run as asked but can be reported: a failed result names why, and the message goes.</summary>
    private async Task ReportRefusedAsync(QueueMessage message, MediaJobRequest request, string error)
    {
        Refused(logger, message.MessageId, error);
        var failed = MediaJobResult.Failed(request.JobId, error);
        await MediaJobResultFile.WriteAsync(request, failed, CancellationToken.None);
        await ReplyAsync(request, failed);
        await DeleteAsync(message, message.PopReceipt);
    }

    /// <summary>
    /// Tells the service the job's result at once, on the worker's reply queue (its own setting, never the message's), when the
    /// request carries a correlation id. A reply that cannot be sent costs the service one check interval, not the result.
    /// </summary>
    private async Task ReplyAsync(MediaJobRequest request, MediaJobResult result)
    {
        if (request.CorrelationId is not { } correlationId || settings.ReplyQueue is not { } replyQueue)
        {
            return;
        }

        var reply = new MediaJobReply { CorrelationId = correlationId, Operation = request.Operation, Result = result };
        try
        {
            await service.GetQueueClient(replyQueue).SendMessageAsync(JsonSerializer.Serialize(reply, ReplyJson));
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or TimeoutException)
        {
            ReplyFailed(logger, ex, request.JobId, replyQueue);
        }
    }

    /// <summary>Copies the message to {queue}-poison, where an operator can read why it never ran, and deletes it.</summary>
    private async Task SetAsideAsync(QueueMessage message, string reason)
    {
        Refused(logger, message.MessageId, reason);
        var poison = service.GetQueueClient(settings.Queue + "-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1));
        await DeleteAsync(message, message.PopReceipt);
    }

    private async Task DeleteAsync(QueueMessage message, string popReceipt)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, popReceipt);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already: another execution dealt with the same delivery.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Media job {JobId} ({Operation}) starting from message {MessageId}, delivery {DequeueCount}")]
    private static partial void Starting(ILogger logger, string jobId, MediaJobOperation operation, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media job {JobId} finished in {Elapsed}")]
    private static partial void Finished(ILogger logger, string jobId, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Media job {JobId} failed: {Error}")]
    private static partial void JobFailed(ILogger logger, string jobId, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media job {JobId} runs in a live process holding its lock; leaving message {MessageId} to it")]
    private static partial void HeldElsewhere(ILogger logger, string jobId, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media job {JobId} already has its result: duplicate message {MessageId} deleted")]
    private static partial void Duplicate(ILogger logger, string jobId, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media job {JobId} stopped on request: its message is visible again for the next execution")]
    private static partial void HandedBack(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Media job message {MessageId} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply of media job {JobId} could not be sent to {Queue}; the service reads the result at its next check")]
    private static partial void ReplyFailed(ILogger logger, Exception exception, string jobId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting media job message {MessageId} failed with {Status}")]
    private static partial void DeleteFailed(ILogger logger, Exception exception, string messageId, int status);
}
