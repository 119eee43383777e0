namespace Recording.Media.Splice;

/// <summary>Encoder settings used only when segments cannot be joined by stream copy.</summary>
public sealed record SpliceOptions
{
    public string X264Preset { get; init; } = "veryfast";

    public int Crf { get; init; } = 20;

    public int AudioBitrateKbps { get; init; } = 128;

    /// <summary>Where intermediates (concat scripts, gap fillers) go; the system temp folder by default.</summary>
    public string? WorkingDirectory { get; init; }
}
