using Recording.Media.Manifest;
using Recording.Media.Validation;

namespace Recording.Media.Splice;

/// <summary>A manifest whose segment files were checked and resolved to absolute paths inside the manifest's folder, in index order.</summary>
/// <param name="Positions">Where each segment stands in the file's own list, so that an error names the entry a person would edit.</param>
public sealed record LoadedManifest(SegmentManifest Manifest, string Folder, IReadOnlyList<SegmentEntry> Segments, IReadOnlyList<string> Paths, IReadOnlyList<int> Positions)
{
    /// <summary>The field name of segment <paramref name="i"/> (in index order) as it stands in manifest.json.</summary>
    public string Field(int i, string name) => $"segments[{Positions[i]}].{name}";

    /// <summary>Reads manifest.json (a file or its folder) and validates it: at least one segment, unique indexes, every file present and inside the folder.</summary>
    public static async Task<LoadedManifest> LoadAsync(string manifestPath, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(manifestPath))
        {
            throw new MediaInputException("manifest", "must be a path to manifest.json or its folder");
        }

        var file = Directory.Exists(manifestPath) ? ManifestFile.PathIn(manifestPath) : manifestPath;
        if (!File.Exists(file))
        {
            throw new MediaInputException("manifest", $"file '{file}' does not exist");
        }

        SegmentManifest manifest;
        try
        {
            manifest = await ManifestFile.ReadAsync(file, cancellationToken);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new MediaInputException("manifest", $"must be a valid segment manifest ({ex.Message})");
        }

        return FromManifest(manifest, Path.GetDirectoryName(Path.GetFullPath(file))!);
    }

    public static LoadedManifest FromManifest(SegmentManifest manifest, string folder)
    {
        if (manifest.Segments is null || manifest.Segments.Count == 0)
        {
            throw new MediaInputException("segments", "must list at least one segment");
        }

        var ordered = manifest.Segments.Select((segment, position) => (Segment: segment, Position: position)).OrderBy(s => s.Segment.Index).ThenBy(s => s.Position).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Segment.Index == ordered[i - 1].Segment.Index)
            {
                throw new MediaInputException($"segments[{ordered[i].Position}].index", $"must be unique (index {ordered[i].Segment.Index} appears twice)");
            }
        }

        var paths = ordered.Select(s => LocalMediaPath.Resolve(folder, s.Segment.File, $"segments[{s.Position}].file")).ToList();
        return new LoadedManifest(manifest, folder, [.. ordered.Select(s => s.Segment)], paths, [.. ordered.Select(s => s.Position)]);
    }
}
