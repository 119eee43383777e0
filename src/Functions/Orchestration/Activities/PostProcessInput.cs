using Recording.Functions.Storage;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>What a post-processing step works on: the capture folder (segments and manifest), a work folder for its outputs, and where to upload them.</summary>
public sealed record PostProcessInput(AssetTarget Target, string CaptureFolder, string WorkFolder)
{
    /// <summary>The spliced file that packaging steps start from.</summary>
    public string? SplicedPath { get; init; }

    /// <summary>For splicing: whether the spliced MP4 itself is an asset (the template asked for it) or only an input for packaging.</summary>
    public bool Upload { get; init; } = true;

    /// <summary>Ladder rungs (short sides) for the ladder job.</summary>
    public IReadOnlyList<int> Rungs { get; init; } = [];

    public TimeSpan ThumbnailInterval { get; init; } = TimeSpan.FromSeconds(60);
}
