namespace Recording.Storage.Keys;

/// <summary>What a key is built from: the recording, its start time (UTC, for the date folders) and optionally the stream.</summary>
public sealed record ObjectKeyContext(string RecordingId, DateTimeOffset StartedAt, string? StreamId = null);
