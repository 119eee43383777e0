using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;

namespace Recording.Functions.Http;

/// <summary>The base URL links are built on: the configured public URL, else the request's own scheme and host.</summary>
public sealed class PublicBaseUrl(IOptions<HttpHostingOptions> options)
{
    public Uri For(HttpRequest request)
    {
        var configured = options.Value.PublicBaseUrl;
        var text = string.IsNullOrEmpty(configured) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : configured;
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }
}
