namespace Recording.Storage.Keys;

/// <summary>The `{kind}` part of DESIGN.md's layout: which product of a recording an object belongs to.</summary>
public sealed record ObjectKind
{
    private ObjectKind(string path) => Path = path;

    /// <summary>The key path of the kind, e.g. "segments" or "renditions/720p".</summary>
    public string Path { get; }

    public static ObjectKind Segments { get; } = new("segments");
    public static ObjectKind Spliced { get; } = new("spliced");
    public static ObjectKind Hls { get; } = new("hls");
    public static ObjectKind Composite { get; } = new("composite");
    public static ObjectKind Thumbnails { get; } = new("thumbnails");
    public static ObjectKind Metadata { get; } = new("metadata");

    /// <summary>One rung of the ladder: renditions/{height}p.</summary>
    public static ObjectKind Rendition(int height)
    {
        if (height is < 16 or > 8640)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, "height: rule 'range' - must be 16 to 8640 pixels.");
        }

        return new($"renditions/{height}p");
    }

    /// <summary>One participant's tracks: tracks/{participant}.</summary>
    public static ObjectKind Track(string participant) => new("tracks/" + ObjectKeySanitizer.Segment("participant", participant));

    public override string ToString() => Path;
}
