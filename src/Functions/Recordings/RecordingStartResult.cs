namespace Recording.Functions.Recordings;

/// <summary>The outcome of a start: <see cref="Created"/> is false when a recording with that id already existed (nothing new was scheduled).</summary>
public sealed record RecordingStartResult(string Id, bool Created);
