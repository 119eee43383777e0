using Recording.Media.Capture;

namespace Recording.Worker.Commands;

/// <summary>One capture event as the job sends it to the events queue; the same JSON as the service's QueueCaptureEventMessage.</summary>
internal sealed record JobEventMessage(string RecordingId, string JobId, string ExecutionId, long Sequence, CaptureEvent Event);
