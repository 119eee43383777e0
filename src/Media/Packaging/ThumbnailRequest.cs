namespace Recording.Media.Packaging;

/// <summary>A poster, an image every <see cref="Interval"/>, and sprite sheets with a WebVTT thumbnail track.</summary>
public sealed record ThumbnailRequest(string Input, string OutputDirectory)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Width of each thumbnail; the height follows the source's aspect (even).</summary>
    public int Width { get; init; } = 160;

    public int Columns { get; init; } = 5;

    /// <summary>Rows per sprite sheet; more thumbnails start a new sheet.</summary>
    public int Rows { get; init; } = 5;
}
