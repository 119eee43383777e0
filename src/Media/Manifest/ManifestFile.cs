using System.Text.Json;

namespace Recording.Media.Manifest;

/// <summary>Reads and atomically replaces manifest.json in a capture folder.</summary>
public static class ManifestFile
{
    public static string PathIn(string directory) => Path.Combine(directory, SegmentManifest.FileName);

    /// <summary>Reads a manifest from a file path or from the folder that holds manifest.json.</summary>
    public static async Task<SegmentManifest> ReadAsync(string fileOrDirectory, CancellationToken cancellationToken = default)
    {
        var path = Directory.Exists(fileOrDirectory) ? PathIn(fileOrDirectory) : fileOrDirectory;
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<SegmentManifest>(stream, ManifestJson.Options, cancellationToken)
            ?? throw new InvalidDataException($"{path} holds no manifest.");
    }

    /// <summary>Writes to a temporary file, flushes it to disk, then renames it over the old one, so a reader never sees half a manifest.</summary>
    public static async Task WriteAsync(string directory, SegmentManifest manifest, CancellationToken cancellationToken = default)
    {
        var target = PathIn(directory);
        var temporary = target + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            await JsonSerializer.SerializeAsync(stream, manifest, ManifestJson.Options, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
    }
}
