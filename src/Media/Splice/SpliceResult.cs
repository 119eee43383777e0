namespace Recording.Media.Splice;

/// <summary>A verified spliced file, with how it was made.</summary>
public sealed record SpliceResult
{
    public required Verification.VerifiedOutput Output { get; init; }

    public required int SegmentCount { get; init; }

    public int GapsFilled { get; init; }

    public TimeSpan GapsFilledDuration { get; init; }
}
