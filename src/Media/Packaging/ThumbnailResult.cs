namespace Recording.Media.Packaging;

/// <summary>The thumbnails written: file paths, each under the output folder.</summary>
public sealed record ThumbnailResult
{
    public required string PosterPath { get; init; }

    public required IReadOnlyList<string> Images { get; init; }

    public required IReadOnlyList<string> SpriteSheets { get; init; }

    /// <summary>thumbnails.vtt: one cue per image, pointing at "sprite_000.jpg#xywh=x,y,w,h".</summary>
    public required string WebVttPath { get; init; }

    public required int ThumbnailWidth { get; init; }

    public required int ThumbnailHeight { get; init; }
}
