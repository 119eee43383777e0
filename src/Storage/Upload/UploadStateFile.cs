using System.Text.Json;

namespace Recording.Storage.Upload;

/// <summary>Reads and atomically rewrites an upload's state file (temp file + rename, so a crash mid-write leaves the previous state).</summary>
public static class UploadStateFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathFor(string localPath) => localPath + ".upload.json";

    /// <summary>The saved state if there is one that is readable; an unreadable one is treated as none.</summary>
    public static UploadState? TryLoad(string localPath)
    {
        var path = PathFor(localPath);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<UploadState>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Save(string localPath, UploadState state)
    {
        var path = PathFor(localPath);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(state, Json));
        File.Move(temp, path, overwrite: true);
    }

    public static void Delete(string localPath) => File.Delete(PathFor(localPath));
}
