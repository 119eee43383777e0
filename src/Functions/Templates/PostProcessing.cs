namespace Recording.Functions.Templates;

/// <summary>What to make from the segments after the recording stops.</summary>
public sealed record PostProcessing
{
    /// <summary>One MP4 spliced from all segments.</summary>
    public bool Splice { get; init; } = true;

    /// <summary>An HLS VOD package.</summary>
    public bool Hls { get; init; }

    /// <summary>One transcoded rendition per height in <see cref="RecordingTemplate.Renditions"/>.</summary>
    public bool Ladder { get; init; }

    /// <summary>Thumbnails every <see cref="RecordingTemplate.ThumbnailInterval"/>.</summary>
    public bool Thumbnails { get; init; }
}
