namespace Recording.Media.Compose;

/// <summary>Compose a timeline of participant tracks into one video.</summary>
public sealed record CompositeRequest(string Timeline, string OutputPath)
{
    public CompositeLayout Layout { get; init; } = CompositeLayout.Grid;

    public CompositeSize Size { get; init; } = new(1280, 720);

    /// <summary>Only tracks with one of these roles are composed; empty for all.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    public int FrameRate { get; init; } = 30;

    /// <summary>Draw each participant's name on their tile (audio-only tiles always show the name when a font is available).</summary>
    public bool NameLabels { get; init; }

    public string X264Preset { get; init; } = "veryfast";

    public int Crf { get; init; } = 23;

    /// <summary>A TrueType font for names; by default the first of the usual DejaVu/Liberation paths that exists.</summary>
    public string? FontFile { get; init; }
}
