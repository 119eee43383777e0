using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Recording.Worker.Commands;

/// <summary>
/// Waits for the next message of a job queue (the job-start queue, the media-job queue), hiding it for the visibility timeout.
/// Polls with backoff (250 ms doubling to 2 s) and rides out transient storage errors, which it logs.
/// </summary>
internal static class QueueMessageReceiver
{
    /// <summary>The next message, or null when <paramref name="wait"/> has passed (infinite: never) or the token is cancelled.</summary>
    public static async Task<QueueMessage?> ReceiveAsync(QueueClient queue, TimeSpan visibility, TimeSpan wait, ILogger logger, CancellationToken cancellationToken)
    {
        var until = wait == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : DateTimeOffset.UtcNow + wait;
        var delay = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                QueueMessage[] messages = await queue.ReceiveMessagesAsync(1, visibility, cancellationToken);
                if (messages.Length > 0)
                {
                    return messages[0];
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or TimeoutException)
            {
                logger.LogWarning(ex, "Reading {Queue} failed with {Status}", queue.Name, (ex as RequestFailedException)?.Status ?? 0);
            }

            if (DateTimeOffset.UtcNow >= until)
            {
                return null;
            }

            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }

        return null;
    }
}
