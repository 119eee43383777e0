using System.Text.Json;
using System.Threading.Channels;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Recording.Media.Capture;
using Recording.Media.Manifest;

namespace Recording.Worker.Commands;

/// <summary>
/// Sends the capture's events to the events queue strictly in order, one at a time, each numbered; a failed send is retried
/// with backoff before the next is sent, so an outage delays events but never reorders or drops them. Every event is also
/// written to stdout, as the capture command does.
/// </summary>
internal sealed partial class JobEventPublisher : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient queue;
    private readonly string jobId;
    private readonly string executionId;
    private readonly EventWriter stdout;
    private readonly ILogger logger;
    private readonly Channel<CaptureEvent> pending = Channel.CreateUnbounded<CaptureEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task sending;
    private long sequence;

    public JobEventPublisher(QueueClient queue, string jobId, string executionId, EventWriter stdout, ILogger logger)
    {
        this.queue = queue;
        this.jobId = jobId;
        this.executionId = executionId;
        this.stdout = stdout;
        this.logger = logger;
        sending = Task.Run(SendAllAsync, CancellationToken.None);
    }

    /// <summary>Queues an event for sending; safe from the capture's own threads (it never blocks them).</summary>
    public void Publish(CaptureEvent captureEvent)
    {
        stdout.Write(captureEvent);
        pending.Writer.TryWrite(captureEvent);
    }

    /// <summary>Waits until every event published so far is on the queue.</summary>
    public async Task DrainAsync()
    {
        pending.Writer.TryComplete();
        await sending;
    }

    public async ValueTask DisposeAsync() => await DrainAsync();

    private async Task SendAllAsync()
    {
        await foreach (var captureEvent in pending.Reader.ReadAllAsync())
        {
            var message = new JobEventMessage(captureEvent.RecordingId, jobId, executionId, sequence++, captureEvent);
            var text = JsonSerializer.Serialize(message, Json);
            var delay = TimeSpan.FromMilliseconds(500);
            while (true)
            {
                try
                {
                    await queue.SendMessageAsync(text, visibilityTimeout: null, timeToLive: NeverExpires);
                    break;
                }
                catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or TimeoutException)
                {
                    SendFailed(logger, ex, message.Sequence, delay);
                    await Task.Delay(delay);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending capture event {Sequence} failed; retrying in {Delay}")]
    private static partial void SendFailed(ILogger logger, Exception exception, long sequence, TimeSpan delay);
}
