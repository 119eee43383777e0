namespace Recording.Media.Packaging;

/// <summary>One produced rendition: its verified MP4, its HLS media playlist and the master playlist entry; for TS segments also its I-frame playlist and that entry.</summary>
public sealed record LadderRendition(LadderRung Rung, Verification.VerifiedOutput Mp4, HlsPackageResult Hls, HlsVariant Variant)
{
    public HlsIFramePlaylist? IFrames { get; init; }

    public HlsIFrameVariant? IFrameVariant { get; init; }
}

/// <summary>A verified ladder.</summary>
public sealed record LadderResult
{
    public required string MasterPlaylistPath { get; init; }

    public required IReadOnlyList<LadderRendition> Renditions { get; init; }

    /// <summary>Requested rungs left out because they are above the source (never upscale).</summary>
    public required IReadOnlyList<int> SkippedRungs { get; init; }

    /// <summary>Wall-clock time of the encode alone (before verification and HLS segmenting), for job metrics and bench/Media.</summary>
    public TimeSpan EncodeDuration { get; init; }
}
