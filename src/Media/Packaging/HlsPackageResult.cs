namespace Recording.Media.Packaging;

/// <summary>A verified HLS VOD: the playlist (decoded end to end through ffmpeg's HLS demuxer) and what it lists.</summary>
public sealed record HlsPackageResult
{
    public required Verification.VerifiedOutput Playlist { get; init; }

    public required HlsMediaPlaylist Parsed { get; init; }
}
