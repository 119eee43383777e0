namespace Recording.Functions.Recordings;

/// <summary>One closed and uploaded segment of a recording.</summary>
public sealed record RecordingSegment(int Index, string Key, DateTimeOffset StartedAt, DateTimeOffset EndedAt, TimeSpan Duration, long SizeBytes);
