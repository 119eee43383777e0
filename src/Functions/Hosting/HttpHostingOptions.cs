namespace Recording.Functions.Hosting;

/// <summary>Where the service listens and how it names itself in links (section <c>Recording:Http</c>).</summary>
public sealed class HttpHostingOptions : IValidatableOptions
{
    public const string Section = "Recording:Http";

    /// <summary>The port of the Azure Functions host's local runtime, which this executable mimics when it hosts itself.</summary>
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>Semicolon-separated listen URLs. Overridden by <c>--urls</c>, and by FUNCTIONS_CUSTOMHANDLER_PORT under the Functions host.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>The base URL clients reach the API on (behind a proxy or the Functions host); empty: taken from each request.</summary>
    public string? PublicBaseUrl { get; set; }

    public IEnumerable<string> Validate()
    {
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel also takes wildcard hosts ("http://*:7071", "http://+:7071"), which Uri refuses; check them with a stand-in host.
            var normalized = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"{Section}:Urls must be http or https URLs separated by ';' (got an entry that is not: '{url}')";
            }
        }

        if (!string.IsNullOrEmpty(PublicBaseUrl) && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"{Section}:PublicBaseUrl must be an absolute http or https URL";
        }
    }
}
