namespace Recording.Media.Sources;

/// <summary>Removes what may hold secrets from a source URL (user info, query, fragment; stream keys often live in the query).</summary>
public static class SourceRedaction
{
    public static string Redact(Uri url)
    {
        var builder = new UriBuilder(url) { UserName = "", Password = "", Query = "", Fragment = "" };
        // UriBuilder writes the default port explicitly; keep the URL as the user wrote it otherwise.
        var text = builder.Uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
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
}
