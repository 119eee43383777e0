namespace Recording.Media.Compose;

/// <summary>A span of the composite in which the same participants are present.</summary>
public sealed record CompositeInterval(double Start, double End, IReadOnlyList<string> Participants);

/// <summary>A verified composite and the intervals it was built from.</summary>
public sealed record CompositeResult
{
    public required Verification.VerifiedOutput Output { get; init; }

    public required IReadOnlyList<CompositeInterval> Intervals { get; init; }

    /// <summary>False when no font was found and audio-only tiles were drawn without their names.</summary>
    public required bool NamesDrawn { get; init; }
}
