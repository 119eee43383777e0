namespace Recording.Media.Capture;

/// <summary>The media segments under an HLS playlist.</summary>
public enum HlsSegmentType
{
    Ts,
    Fmp4,
}
