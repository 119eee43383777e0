using Recording.Media.Capture;

namespace Recording.Functions.Jobs;

/// <summary>
/// One capture event on the events queue (JSON with ManifestJson's options, Base64): the event with its <c>type</c>, the job
/// execution that sent it and a sequence number per execution, so that a reader can put a batch back in the order it was sent.
/// </summary>
public sealed record QueueCaptureEventMessage
{
    public required string RecordingId { get; init; }

    /// <summary>The start message id (one per job, the same across executions that resume it) and the execution's own id.</summary>
    public required string JobId { get; init; }

    public required string ExecutionId { get; init; }

    public required long Sequence { get; init; }

    public required CaptureEvent Event { get; init; }
}
