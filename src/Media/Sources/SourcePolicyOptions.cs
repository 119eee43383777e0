namespace Recording.Media.Sources;

/// <summary>What the source policy lets through beyond the default (public hosts, live schemes only).</summary>
public sealed record SourcePolicyOptions
{
    /// <summary>Allows loopback, private, link-local and other non-public addresses: local runs and tests set it; deployments must not.</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>How long the HLS pre-flight may take to fetch a playlist.</summary>
    public TimeSpan PlaylistFetchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Playlists larger than this are refused rather than read (a live playlist is a few KB).</summary>
    public int MaxPlaylistBytes { get; init; } = 1024 * 1024;
}
