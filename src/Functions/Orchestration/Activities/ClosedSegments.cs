using Recording.Media.Manifest;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// The segment indices a capture closed, from the manifest in its folder: what a file spliced or packaged while recording must
/// hold before it is published. The orchestration's own list is not enough, since a segment's event can be overtaken by the
/// capture's end or come after a later one (a version-1 recording took them in arrival order).
/// </summary>
public static class ClosedSegments
{
    /// <summary>The indices in the capture's manifest; null when the folder has none (nothing to hold the file against).</summary>
    public static async Task<IReadOnlyCollection<int>?> ReadAsync(string captureFolder, CancellationToken cancellationToken)
    {
        if (!File.Exists(ManifestFile.PathIn(captureFolder)))
        {
            return null;
        }

        var manifest = await ManifestFile.ReadAsync(captureFolder, cancellationToken);
        return [.. manifest.Segments.Select(s => s.Index)];
    }
}
