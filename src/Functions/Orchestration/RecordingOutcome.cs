using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration;

/// <summary>The output of a completed recording: its segments and assets.</summary>
public sealed record RecordingOutcome(int Segments, long TotalBytes, TimeSpan RecordedDuration, IReadOnlyList<RecordingAsset> Assets);
