using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>What a post-processing step made: its assets in the destination, and a local file the next steps may use.</summary>
public sealed record PostProcessOutput(IReadOnlyList<RecordingAsset> Assets, string? LocalPath = null)
{
    /// <summary>
    /// Set, with the reason, when the step did nothing because it would have to transcode: that runs as a media job, never inside
    /// an activity (DESIGN.md). Null in every history written before the field existed, which replays as before.
    /// </summary>
    public string? TranscodeNeeded { get; init; }
}
