namespace Recording.Media.Packaging;

/// <summary>The container of HLS media segments.</summary>
public enum HlsSegmentType
{
    /// <summary>MPEG-TS (.ts): plays everywhere. The default.</summary>
    Ts,

    /// <summary>Fragmented MP4 (.m4s with an init.mp4 named by EXT-X-MAP): smaller, and what CMAF players want.</summary>
    Fmp4,
}
