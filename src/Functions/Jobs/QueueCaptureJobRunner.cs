using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Recording.Media.Manifest;

namespace Recording.Functions.Jobs;

/// <summary>
/// Starts capture jobs by queue message (the Azure Container Apps job's event trigger) and stops them through a per-recording
/// control queue that the running job polls.
/// </summary>
/// <remarks>
/// Why a control queue per recording rather than a blob flag: it needs only the Queue service (one role, one client), a stop sent
/// before the job starts or while it restarts waits there until an execution reads it, and the queue's metadata records that a
/// start message was sent, which makes <see cref="StartAsync"/> idempotent on the recording id. The job deletes the queue when its
/// capture has ended. The one window left (a crash after the send and before the metadata is written) can send a second start
/// message; the job makes that harmless: it holds a lock on the recording's folder while it captures, and a folder whose manifest
/// says the capture ended is never captured again.
/// </remarks>
public sealed partial class QueueCaptureJobRunner : ICaptureJobRunner
{
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    // Azure drops a message after its time to live (7 days by default) even while it is invisible; a start message must
    // outlive the longest recording, so it never expires (-1).
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueCaptureJobOptions options;
    private readonly QueueServiceClient service;
    private readonly QueueClient startQueue;
    private readonly ILogger<QueueCaptureJobRunner> logger;
    private volatile bool queuesCreated;

    public QueueCaptureJobRunner(IOptions<QueueCaptureJobOptions> options, ILogger<QueueCaptureJobRunner> logger)
    {
        this.options = options.Value;
        this.options.ThrowIfInvalid();
        this.logger = logger;
        service = this.options.CreateServiceClient();
        startQueue = service.GetQueueClient(this.options.StartQueueName);
    }

    public async Task<CaptureJobHandle> StartAsync(CaptureJobRequest request, CancellationToken cancellationToken = default)
    {
        await EnsureQueuesAsync(cancellationToken);
        var controlName = QueueCaptureControlQueue.NameFor(options.ControlQueuePrefix, request.RecordingId);
        var control = service.GetQueueClient(controlName);
        await control.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var properties = await control.GetPropertiesAsync(cancellationToken);
        if (properties.Value.Metadata.TryGetValue(QueueCaptureControlQueue.StartMessageIdKey, out var existing))
        {
            AlreadyStarted(logger, request.RecordingId, existing);
            return new CaptureJobHandle(request.RecordingId, existing, Reattached: true);
        }

        var message = QueueCaptureStartMessage.From(request, options.EventsQueueName, controlName);
        var receipt = await startQueue.SendMessageAsync(
            JsonSerializer.Serialize(message, Json), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        await control.SetMetadataAsync(
            new Dictionary<string, string>
            {
                [QueueCaptureControlQueue.RecordingIdKey] = Uri.EscapeDataString(request.RecordingId),
                [QueueCaptureControlQueue.StartMessageIdKey] = receipt.Value.MessageId,
            },
            cancellationToken);
        Queued(logger, request.RecordingId, receipt.Value.MessageId, options.StartQueueName);
        return new CaptureJobHandle(request.RecordingId, receipt.Value.MessageId, Reattached: false);
    }

    public async Task StopAsync(string recordingId, CancellationToken cancellationToken = default)
    {
        var control = service.GetQueueClient(QueueCaptureControlQueue.NameFor(options.ControlQueuePrefix, recordingId));
        var stop = new QueueCaptureControlMessage { RecordingId = recordingId, RequestedAt = DateTimeOffset.UtcNow };
        try
        {
            await control.SendMessageAsync(JsonSerializer.Serialize(stop, Json), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
            StopSent(logger, recordingId);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No control queue: the job was never started, or it ended and removed the queue. Nothing is capturing: done.
            NothingToStop(logger, recordingId);
        }
    }

    private async Task EnsureQueuesAsync(CancellationToken cancellationToken)
    {
        if (queuesCreated || !options.CreateQueues)
        {
            return;
        }

        // Racing callers both create: CreateIfNotExists is idempotent, so no lock is needed.
        await startQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await service.GetQueueClient(options.EventsQueueName).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        queuesCreated = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture job of {RecordingId} already started as message {MessageId}")]
    private static partial void AlreadyStarted(ILogger logger, string recordingId, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capture job of {RecordingId} queued as message {MessageId} on {Queue}")]
    private static partial void Queued(ILogger logger, string recordingId, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop of capture job {RecordingId} sent")]
    private static partial void StopSent(ILogger logger, string recordingId);

    [LoggerMessage(Level = LogLevel.Information, Message = "No capture job of {RecordingId} to stop (no control queue)")]
    private static partial void NothingToStop(ILogger logger, string recordingId);
}
