namespace Recording.Media.Clip;

/// <summary>A verified clip. The start snaps back to the keyframe at or before the requested start, so Actual* say what the file really holds.</summary>
public sealed record ClipResult
{
    public required Verification.VerifiedOutput Output { get; init; }

    public required TimeSpan RequestedFrom { get; init; }

    public required TimeSpan RequestedTo { get; init; }

    /// <summary>Timeline position of the keyframe the clip starts on.</summary>
    public required TimeSpan ActualFrom { get; init; }

    public required TimeSpan ActualTo { get; init; }

    /// <summary>Indexes of the manifest segments the clip was cut from.</summary>
    public required IReadOnlyList<int> SegmentIndexes { get; init; }
}
