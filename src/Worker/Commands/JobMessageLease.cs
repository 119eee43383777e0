using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Recording.Worker.Commands;

/// <summary>
/// Keeps a job's message (a capture's start message, a media job's request) invisible while the job runs (renewed every third of
/// the visibility timeout), so that no other execution takes it; if this process dies, renewals stop and the message comes back
/// for a new execution to resume.
/// </summary>
internal sealed partial class JobMessageLease : IAsyncDisposable
{
    private readonly QueueClient queue;
    private readonly QueueMessage message;
    private readonly TimeSpan visibility;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;
    // Written only by the renewal loop; read after it has ended.
    private string popReceipt;

    public JobMessageLease(QueueClient queue, QueueMessage message, TimeSpan visibility, ILogger logger)
    {
        this.queue = queue;
        this.message = message;
        this.visibility = visibility;
        this.logger = logger;
        popReceipt = message.PopReceipt;
        renewing = Task.Run(RenewAsync, CancellationToken.None);
    }

    public string MessageId => message.MessageId;

    /// <summary>The capture ended and was reported: the message is done with.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await StopRenewingAsync();
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted already (a duplicate's execution, or a lapse that let another execution finish it).
        }
    }

    /// <summary>Hands the message back at once (visible now), for another execution to carry on.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        await StopRenewingAsync();
        try
        {
            await queue.UpdateMessageAsync(message.MessageId, popReceipt, message.Body, TimeSpan.Zero, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        stop.Dispose();
    }

    private async Task StopRenewingAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
        }

        await renewing;
    }

    private async Task RenewAsync()
    {
        var period = visibility / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, stop.Token);
                UpdateReceipt receipt = await queue.UpdateMessageAsync(message.MessageId, popReceipt, message.Body, visibility, stop.Token);
                popReceipt = receipt.PopReceipt;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or TimeoutException)
            {
                // Transient: the next renewal tries again while a third of the timeout is left. 404: another execution
                // took the message after a lapse; the folder lock still keeps it from capturing at the same time.
                RenewFailed(logger, ex, message.MessageId, (ex as RequestFailedException)?.Status ?? 0);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing message {MessageId} failed with {Status}")]
    private static partial void RenewFailed(ILogger logger, Exception exception, string messageId, int status);
}
