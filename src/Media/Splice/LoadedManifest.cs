using Recording.Media.Manifest;
using Recording.Media.Validation;

namespace Recording.Media.Splice;

/// <summary>A manifest whose segment files were checked and resolved to absolute paths inside the manifest's folder, in index order.</summary>
public sealed record LoadedManifest(SegmentManifest Manifest, string Folder, IReadOnlyList<SegmentEntry> Segments, IReadOnlyList<string> Paths)
{
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

        var ordered = manifest.Segments.OrderBy(s => s.Index).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Index == ordered[i - 1].Index)
            {
                throw new MediaInputException($"segments[{i}].index", $"must be unique (index {ordered[i].Index} appears twice)");
            }
        }

        var paths = ordered.Select((s, i) => LocalMediaPath.Resolve(folder, s.File, $"segments[{i}].file")).ToList();
        return new LoadedManifest(manifest, folder, ordered, paths);
    }
}
