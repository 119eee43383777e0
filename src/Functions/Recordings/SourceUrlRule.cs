namespace Recording.Functions.Recordings;

/// <summary>
/// A first, cheap check of a source URL at the HTTP edge so that an obviously bad one gets a 400 at once.
/// The authority is the media layer's source policy (src/Media), which runs again before ffmpeg and also refuses
/// private and loopback addresses unless the deployment allows them; keep this list no wider than that one.
/// </summary>
public static class SourceUrlRule
{
    public const int MaxLength = 2048;

    public static IReadOnlyList<string> AllowedSchemes { get; } = ["rtmp", "rtmps", "srt", "rtsp", "rtsps", "http", "https"];

    /// <summary>Null when the URL may be tried; otherwise the rule it breaks.</summary>
    public static string? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "must be a live source URL";
        }

        if (url.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (url.Any(char.IsControl) || url.Any(char.IsWhiteSpace))
        {
            return "must not contain whitespace or control characters";
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? url[..colon].ToLowerInvariant() : "";
        if (!AllowedSchemes.Contains(scheme, StringComparer.Ordinal))
        {
            return $"scheme '{(scheme.Length == 0 ? "(none)" : scheme)}' is not allowed: use one of {string.Join(", ", AllowedSchemes)}";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute URL with a host";
        }

        return null;
    }
}
