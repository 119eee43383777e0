namespace Recording.Functions.Orchestration;

/// <summary>A segment whose upload was verified: where it is in the destination, and the local file kept until post-processing is done.</summary>
public sealed record UploadedSegment(int Index, string Key, string LocalPath, DateTimeOffset StartedAt, DateTimeOffset EndedAt, TimeSpan Duration, long SizeBytes, string Sha256);
