namespace Recording.Storage.Upload;

/// <summary>Content-Type by file extension for what the pipeline writes; players and CDNs need the right one to play from the bucket.</summary>
public static class ContentTypes
{
    public const string Default = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4",
        [".m4s"] = "video/iso.segment",
        [".m4v"] = "video/mp4",
        [".m4a"] = "audio/mp4",
        [".aac"] = "audio/aac",
        [".m3u8"] = "application/vnd.apple.mpegurl",
        [".ts"] = "video/mp2t",
        [".flv"] = "video/x-flv",
        [".webm"] = "video/webm",
        [".mkv"] = "video/x-matroska",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".webp"] = "image/webp",
        [".vtt"] = "text/vtt",
        [".json"] = "application/json",
        [".txt"] = "text/plain; charset=utf-8",
    };

    /// <summary>The content type for a file name or key; application/octet-stream when unknown.</summary>
    public static string For(string fileNameOrKey)
        => ByExtension.TryGetValue(Path.GetExtension(fileNameOrKey), out var type) ? type : Default;
}
