using System.Text.Json;
using Recording.Media.Manifest;

namespace Recording.Media.Jobs;

/// <summary>The result file beside a job's output folder: written whole (temporary file, then rename) so a reader never sees half of one.</summary>
public static class MediaJobResultFile
{
    public static async Task WriteAsync(MediaJobRequest request, MediaJobResult result, CancellationToken cancellationToken = default)
    {
        var path = request.ResultPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(result, ManifestJson.Options), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The job's result, or null while it has none (not run, running, or killed before it finished).</summary>
    public static async Task<MediaJobResult?> ReadAsync(MediaJobRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = JsonSerializer.Deserialize<MediaJobResult>(await File.ReadAllTextAsync(request.ResultPath, cancellationToken), ManifestJson.Options);
            return result?.JobId == request.JobId ? result : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
