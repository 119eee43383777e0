using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Recording.Media.Manifest;

namespace Recording.Worker.Commands;

/// <summary>
/// Polls the recording's control queue for the stop request and cancels <see cref="Stopping"/> when it comes. The stop message
/// is kept (invisible) rather than deleted until the capture has ended, so that an execution that dies while stopping leaves
/// the request for the next one.
/// </summary>
internal sealed partial class JobStopWatcher : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    private readonly QueueClient? control;
    private readonly string recordingId;
    private readonly TimeSpan interval;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource watching = new();
    private readonly Task polling;

    public JobStopWatcher(QueueClient? control, string recordingId, TimeSpan interval, ILogger logger)
    {
        this.control = control;
        this.recordingId = recordingId;
        this.interval = interval;
        this.logger = logger;
        polling = control is null ? Task.CompletedTask : Task.Run(PollAsync, CancellationToken.None);
    }

    /// <summary>Cancelled once a stop request for this recording has been read.</summary>
    public CancellationToken Stopping => stopping.Token;

    /// <summary>The capture has ended: removes the control queue (its stop requests are answered; nothing will read it again).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await StopPollingAsync();
        if (control is null)
        {
            return;
        }

        try
        {
            await control.DeleteIfExistsAsync(cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            DeleteFailed(logger, ex, control.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopPollingAsync();
        stopping.Dispose();
        watching.Dispose();
    }

    private async Task StopPollingAsync()
    {
        if (!watching.IsCancellationRequested)
        {
            await watching.CancelAsync();
        }

        await polling;
    }

    private async Task PollAsync()
    {
        while (!watching.IsCancellationRequested)
        {
            try
            {
                // Long invisibility: the message must not come back to this execution while it stops; another execution
                // (after a crash) sees it once it is visible again.
                QueueMessage[] messages = await control!.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), watching.Token);
                if (messages.Any(IsStopForThisRecording) && !stopping.IsCancellationRequested)
                {
                    StopRequested(logger, recordingId);
                    await stopping.CancelAsync();
                }

                await Task.Delay(interval, watching.Token);
            }
            catch (OperationCanceledException) when (watching.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or TimeoutException)
            {
                // 404: no control queue (a message sent without the runner); transient: try again at the next tick.
                PollFailed(logger, ex, control!.Name, (ex as RequestFailedException)?.Status ?? 0);
                try
                {
                    await Task.Delay(interval, watching.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private bool IsStopForThisRecording(QueueMessage message)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<JobControlMessage>(message.Body.ToString(), Json);
            return parsed is { Type: "stop" } && (parsed.RecordingId is null || parsed.RecordingId == recordingId);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested for {RecordingId}; finishing the open segment")]
    private static partial void StopRequested(ILogger logger, string recordingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling control queue {Queue} failed with {Status}")]
    private static partial void PollFailed(ILogger logger, Exception exception, string queue, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing control queue {Queue} failed")]
    private static partial void DeleteFailed(ILogger logger, Exception exception, string queue);
}
