namespace Recording.Functions.Recordings;

/// <summary>One page of recordings; a null continuation token means the last page.</summary>
public sealed record RecordingPage(IReadOnlyList<RecordingStatus> Recordings, string? ContinuationToken);
