using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration;

/// <summary>
/// The folders under a recording's post-processing folder: one per media job (where the job writes and the upload activity
/// reads), named once for the orchestrator, the activities that copy into the same folders, and a terminate's cancel.
/// </summary>
public static class PostProcessingFolders
{
    public const string Spliced = "spliced";
    public const string Hls = "hls";
    public const string Renditions = "renditions";
    public const string Thumbnails = "thumbnails";

    /// <summary>The output folder of a media job of <paramref name="operation"/> under <paramref name="postFolder"/>.</summary>
    public static string For(string postFolder, MediaJobOperation operation) => Path.Combine(postFolder, operation switch
    {
        MediaJobOperation.Ladder => Renditions,
        MediaJobOperation.Thumbnails => Thumbnails,
        MediaJobOperation.Splice => Spliced,
        _ => Hls,
    });
}
