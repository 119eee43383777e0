using System.Net;
using System.Net.Sockets;

namespace Recording.Media.Sources;

/// <summary>
/// Turns user text into a <see cref="LiveSource"/> or refuses it, before any ffmpeg process exists:
/// only live schemes, only public hosts (unless allowed), and for HLS a playlist whose every URI is http(s).
/// </summary>
public sealed class SourcePolicy
{
    private static readonly Dictionary<string, string> Whitelists = new(StringComparer.Ordinal)
    {
        ["rtmp"] = "rtmp,tcp",
        ["rtmps"] = "rtmps,tls,tcp",
        ["srt"] = "srt,udp",
        ["rtsp"] = "rtsp,rtp,udp,tcp",
        ["rtsps"] = "rtsps,rtsp,rtp,udp,tcp,tls",
        // HLS: the playlist and its segments over the same transport, crypto for AES-128 segments; no file, no data.
        ["http"] = "http,tcp,crypto",
        ["https"] = "https,http,tls,tcp,crypto",
    };

    private readonly SourcePolicyOptions options;
    private readonly HlsPlaylistInspector playlists;

    public SourcePolicy(SourcePolicyOptions? options = null, HttpClient? httpClient = null)
    {
        this.options = options ?? new SourcePolicyOptions();
        playlists = new HlsPlaylistInspector(this.options, httpClient);
    }

    public static IReadOnlyCollection<string> AllowedSchemes => Whitelists.Keys;

    /// <summary>Validates the text and, for HLS, the playlist it points at; throws <see cref="SourceRejectedException"/> naming the rule.</summary>
    public async Task<LiveSource> ValidateAsync(string text, CancellationToken cancellationToken = default)
    {
        var source = ParseAndCheckScheme(text);
        await CheckHostAsync(source.Url, cancellationToken);
        if (source.IsHls)
        {
            await playlists.InspectAsync(source.Url, CheckHostAsync, cancellationToken);
        }

        return source;
    }

    /// <summary>The checks that need no network: absolute URL, allowed scheme, a host.</summary>
    public static LiveSource ParseAndCheckScheme(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SourceRejectedException("not-a-url", "the source is empty.");
        }

        var trimmed = text.Trim();
        // ffmpeg understands "concat:a|b", "subfile:...", "data:..." and bare paths; Uri would accept some of them, so refuse by scheme first.
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Uri.TryCreate(trimmed, UriKind.Absolute, out var url) || trimmed.Any(char.IsControl))
        {
            throw new SourceRejectedException("not-a-url", $"'{SourceRedaction.RedactText(trimmed)}' is not an absolute URL.");
        }

        var scheme = url.Scheme.ToLowerInvariant();
        if (!Whitelists.TryGetValue(scheme, out var whitelist))
        {
            throw new SourceRejectedException(
                "scheme-not-allowed",
                $"scheme '{scheme}' is not a live source; allowed: {string.Join(", ", Whitelists.Keys)}.");
        }

        if (string.IsNullOrEmpty(url.Host))
        {
            throw new SourceRejectedException("not-a-url", $"'{SourceRedaction.RedactText(trimmed)}' has no host.");
        }

        return new LiveSource { Url = url, Scheme = scheme, ProtocolWhitelist = whitelist };
    }

    /// <summary>
    /// True for addresses that are not on the public internet: loopback, RFC 1918, CGNAT, link-local, unique-local, unspecified,
    /// multicast; and an IPv6 address that carries one of those IPv4 addresses (mapped, NAT64 64:ff9b::/96, 6to4 2002::/16),
    /// which a gateway on the way would deliver to it.
    /// </summary>
    public static bool IsNonPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (EmbeddedIPv4(address) is { } carried)
        {
            return IsNonPublic(carried);
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || b[0] == 0
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || b[0] >= 224;
        }

        var bytes = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC;
    }

    /// <summary>The addresses of a host: the literal one (IPv6 with or without brackets), or what DNS answers for the name.</summary>
    public static async Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken cancellationToken = default)
        => IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address, else null.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var b = address.GetAddressBytes();
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : null;
    }

    private async Task CheckHostAsync(Uri url, CancellationToken cancellationToken)
    {
        if (options.AllowPrivateNetworks)
        {
            return;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await AddressesOfAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new SourceRejectedException("host-not-resolved", $"host '{url.Host}' does not resolve ({ex.SocketErrorCode}).");
        }

        // Every address must be public: a name that resolves to one public and one private address is refused.
        var blocked = addresses.FirstOrDefault(IsNonPublic);
        if (blocked is not null || addresses.Length == 0)
        {
            throw new SourceRejectedException(
                "private-address",
                $"host '{url.Host}' resolves to {blocked?.ToString() ?? "nothing"}, a non-public address; set AllowPrivateNetworks (--allow-private-networks) for local sources.");
        }
    }
}
