using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>What a post-processing step made: its assets in the destination, and a local file the next steps may use.</summary>
public sealed record PostProcessOutput(IReadOnlyList<RecordingAsset> Assets, string? LocalPath = null);
