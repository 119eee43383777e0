namespace Recording.Functions.Recordings;

/// <summary>A failure a user can act on: a stable code, a message and when it happened.</summary>
public sealed record RecordingError(string Code, string Message, DateTimeOffset At);
