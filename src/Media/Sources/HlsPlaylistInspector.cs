using System.Text.RegularExpressions;

namespace Recording.Media.Sources;

/// <summary>
/// HLS pre-flight: fetches the playlist (and the variant playlists of a master) and refuses it if any URI in it,
/// segment, key, map or rendition, is not http(s) or points at a refused host. ffmpeg's protocol whitelist would stop
/// a file: segment too; refusing here gives the user a rule instead of an ffmpeg error, and starts no process.
/// </summary>
internal sealed partial class HlsPlaylistInspector
{
    private const int MaxVariantPlaylists = 16;

    private readonly SourcePolicyOptions options;
    private readonly HttpClient http;

    public HlsPlaylistInspector(SourcePolicyOptions options, HttpClient? httpClient)
    {
        this.options = options;
        http = httpClient ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
    }

    public async Task InspectAsync(Uri playlist, Func<Uri, CancellationToken, Task> checkHostAsync, CancellationToken cancellationToken)
    {
        var variants = await InspectOneAsync(playlist, checkHostAsync, cancellationToken);
        foreach (var variant in variants.Take(MaxVariantPlaylists))
        {
            await InspectOneAsync(variant, checkHostAsync, cancellationToken);
        }
    }

    /// <summary>Checks one playlist; returns the playlists it refers to (variants and renditions of a master playlist).</summary>
    private async Task<List<Uri>> InspectOneAsync(Uri playlist, Func<Uri, CancellationToken, Task> checkHostAsync, CancellationToken cancellationToken)
    {
        var text = await FetchAsync(playlist, cancellationToken);
        if (!text.TrimStart('\uFEFF').StartsWith("#EXTM3U", StringComparison.Ordinal))
        {
            throw new SourceRejectedException("not-an-hls-playlist", $"{SourceRedaction.Redact(playlist)} does not start with #EXTM3U.");
        }

        var nested = new List<Uri>();
        var isMaster = text.Contains("#EXT-X-STREAM-INF", StringComparison.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var references = line.StartsWith('#') ? UriAttribute().Matches(line).Select(m => m.Groups[1].Value) : [line];
            foreach (var reference in references)
            {
                var target = Resolve(playlist, reference);
                await checkHostAsync(target, cancellationToken);
                if (isMaster && (!line.StartsWith('#') || line.StartsWith("#EXT-X-MEDIA", StringComparison.Ordinal)))
                {
                    nested.Add(target);
                }
            }
        }

        return nested;
    }

    private static Uri Resolve(Uri playlist, string reference)
    {
        if (!Uri.TryCreate(playlist, reference, out var target) || target.Scheme is not ("http" or "https"))
        {
            throw new SourceRejectedException(
                "hls-uri-not-allowed",
                $"the playlist {SourceRedaction.Redact(playlist)} refers to '{SourceRedaction.RedactText(reference)}', which is not an http(s) URL.");
        }

        return target;
    }

    private async Task<string> FetchAsync(Uri playlist, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PlaylistFetchTimeout);
        try
        {
            using var response = await http.GetAsync(playlist, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new SourceRejectedException("hls-playlist-unavailable", $"{SourceRedaction.Redact(playlist)} answered {(int)response.StatusCode}.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[options.MaxPlaylistBytes + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), timeout.Token)) > 0)
            {
                read += n;
            }

            if (read > options.MaxPlaylistBytes)
            {
                throw new SourceRejectedException("hls-playlist-too-large", $"{SourceRedaction.Redact(playlist)} is larger than {options.MaxPlaylistBytes} bytes.");
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new SourceRejectedException("hls-playlist-unavailable", $"{SourceRedaction.Redact(playlist)} could not be fetched ({ex.GetType().Name}).");
        }
    }

    [GeneratedRegex("URI=\"([^\"]*)\"")]
    private static partial Regex UriAttribute();
}
