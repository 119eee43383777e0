using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Recording.Media.Jobs;
using Recording.Media.Manifest;

namespace Recording.Functions.Jobs;

/// <summary>
/// Starts media jobs by queue message (the media job's event trigger in Azure Container Apps, or a worker <c>media-job</c> process
/// that serves the queue) and reads their results from the file share that the service and the job both mount.
/// </summary>
/// <remarks>
/// A job is sent once: <c>{output}.queued</c> records the job and its message. From then on the queue is the job's supervisor:
/// an execution that dies leaves the message to come back for the next one, and the worker writes a failed result for a
/// message that keeps coming back. The one window left (a crash after the send, before the marker) sends a second message; the worker makes it
/// harmless (one holder of the job's lock; a job with a result is not run again).
/// </remarks>
public sealed partial class QueueMediaJobRunner : IMediaJobRunner
{
    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    // A job waits in the queue for as long as it takes a busy environment to get to it: the message never expires (-1).
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueCaptureJobOptions options;
    private readonly QueueClient queue;
    private readonly ILogger<QueueMediaJobRunner> logger;
    private volatile bool queueCreated;

    public QueueMediaJobRunner(IOptions<QueueCaptureJobOptions> options, ILogger<QueueMediaJobRunner> logger)
    {
        this.options = options.Value;
        this.options.ThrowIfInvalid();
        this.logger = logger;
        queue = this.options.CreateServiceClient().GetQueueClient(this.options.MediaQueueName);
    }

    public async Task<MediaJobStatus> EnsureAsync(MediaJobOrder order, CancellationToken cancellationToken = default)
    {
        var request = order.Request;
        if (await MediaJobResultFile.ReadAsync(request, cancellationToken) is { } result)
        {
            return MediaJobStatus.Finished(result);
        }

        // The marker names the job it was written for: a new attempt at the same output (after a retryable failure) is sent anew.
        var marker = Path.TrimEndingDirectorySeparator(request.OutputDirectory) + ".queued";
        if (File.Exists(marker) && (await File.ReadAllLinesAsync(marker, cancellationToken)).FirstOrDefault() == request.JobId)
        {
            return new MediaJobStatus(MediaJobState.Running);
        }

        if (!order.MayStart)
        {
            return new MediaJobStatus(MediaJobState.NotRunning);
        }

        if (!queueCreated && options.CreateQueues)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            queueCreated = true;
        }

        var receipt = await queue.SendMessageAsync(JsonSerializer.Serialize(request, Json), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        await File.WriteAllLinesAsync(marker, [request.JobId, receipt.Value.MessageId], cancellationToken);
        Queued(logger, request.Operation, request.JobId, receipt.Value.MessageId, options.MediaQueueName);
        return new MediaJobStatus(MediaJobState.Started);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} job {JobId} queued as message {MessageId} on {Queue}")]
    private static partial void Queued(ILogger logger, MediaJobOperation operation, string jobId, string messageId, string queue);
}
