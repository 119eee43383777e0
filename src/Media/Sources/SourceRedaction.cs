using System.Text.RegularExpressions;

namespace Recording.Media.Sources;

/// <summary>
/// Removes what may hold secrets from a source URL: user info, query and fragment (stream keys often live in the query), and
/// an RTMP URL's stream name, which on most servers (nginx-rtmp, SRS, Wowza) is the publisher's stream key: it is masked but
/// for its last 4 characters, as services show keys, which still tells one stream from another.
/// </summary>
public static partial class SourceRedaction
{
    private const string Mask = "***";

    public static string Redact(Uri url)
    {
        var builder = new UriBuilder(url) { UserName = "", Password = "", Query = "", Fragment = "" };
        // UriBuilder writes the default port explicitly; keep the URL as the user wrote it otherwise.
        var text = MaskStreamName(url, builder.Uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
        return url.Query.Length > 0 || url.UserInfo.Length > 0 ? text + (url.Query.Length > 0 ? "?redacted" : "") : text;
    }

    /// <summary>Redacts a URL given as text, for error messages about text that may not even parse.</summary>
    public static string RedactText(string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Host.Length > 0)
        {
            return Redact(url);
        }

        var cut = text.IndexOfAny(['?', '@', '#']);
        var shown = cut >= 0 ? text[..cut] + "[redacted]" : text;
        return shown.Length > 80 ? shown[..80] + "…" : shown;
    }

    /// <summary>
    /// Redacts every URL in free text, such as a line ffmpeg wrote: an HLS source's variant playlists and segments are
    /// URLs of their own, often signed with a token the source URL itself never showed.
    /// </summary>
    public static string RedactUrlsIn(string text) => UrlInText().Replace(text, match => RedactText(match.Value));

    /// <summary>A scheme, "://" and everything up to whitespace or a quote (ffmpeg quotes the URLs it opens), less a closing punctuation mark.</summary>
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'""<>]*[^\s'""<>,.;:!)\]]")]
    private static partial Regex UrlInText();

    /// <summary>rtmp://host/app/streamname: the stream name (the last path segment after the application's) masked.</summary>
    private static string MaskStreamName(Uri url, string text)
    {
        if (url.Scheme is not ("rtmp" or "rtmps") || url.Segments.Length < 3 || text.EndsWith('/'))
        {
            return text;
        }

        var slash = text.LastIndexOf('/');
        var name = text[(slash + 1)..];
        return text[..(slash + 1)] + Mask + (name.Length > 4 ? name[^4..] : string.Empty);
    }
}
