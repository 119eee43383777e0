namespace Recording.Functions.Jobs;

/// <summary>A started capture job: how the runner names it (process id, queue message id or job execution name).</summary>
public sealed record CaptureJobHandle(string RecordingId, string JobId, bool Reattached);
