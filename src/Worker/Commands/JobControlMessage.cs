namespace Recording.Worker.Commands;

/// <summary>A message on the recording's control queue; the same JSON as the service's QueueCaptureControlMessage.</summary>
internal sealed record JobControlMessage(string? Type, string? RecordingId);
