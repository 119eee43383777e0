namespace Recording.Functions.Recordings;

/// <summary>A file in the destination: its kind (segments, spliced, hls, renditions/720p, thumbnails, ...), key, size and, where the destination can sign one, a presigned URL.</summary>
public sealed record RecordingAsset(string Kind, string Key, long SizeBytes, TimeSpan? Duration, Uri? Url)
{
    /// <summary>How the asset was made, where a user would want to know: a splice that had to re-encode says which streams and why.</summary>
    public string? Note { get; init; }
}
