namespace Recording.Media.Manifest;

/// <summary>The container a capture writes its segments in.</summary>
public enum SegmentFormat
{
    /// <summary>Fragmented MP4: playable up to the last complete fragment after a crash. The default.</summary>
    Fmp4,

    /// <summary>Classic MP4 with the index at the end: smallest, but unplayable if the writer dies.</summary>
    Mp4,
    Flv,
    Ts,

    /// <summary>An HLS event playlist (index.m3u8) over TS or fMP4 media segments.</summary>
    Hls,

    /// <summary>Audio only, AAC in M4A.</summary>
    M4a,
}
