namespace Recording.Media.Splice.Fragmented;

/// <summary>
/// Where a spliced fragmented MP4 stands after its last append; small and serializable, so that it can live in a durable
/// orchestration's state. <see cref="Length"/> is what makes an append safe to repeat: anything past it is a half-written
/// earlier attempt, cut off before the next append.
/// </summary>
public sealed record FragmentedSpliceState
{
    /// <summary>Bytes of the file that are complete: the init and every appended fragment.</summary>
    public long Length { get; init; }

    /// <summary>The segment index appended last (appends go in index order; an index at or below it is in, or was passed over).</summary>
    public int LastIndex { get; init; } = -1;

    /// <summary>
    /// Every segment index taken in, in order, including one with no whole fragment; null in a state written by a build that
    /// kept only <see cref="LastIndex"/> and <see cref="Segments"/>.
    /// </summary>
    public IReadOnlyList<int>? Indices { get; init; }

    /// <summary>The mfhd sequence number the next fragment gets.</summary>
    public uint NextSequence { get; init; } = 1;

    /// <summary>The first segment's codec key: a segment whose key differs cannot be appended by copying its fragments.</summary>
    public string CodecKey { get; init; } = string.Empty;

    /// <summary>Each track's end on the spliced timeline, in its own timescale.</summary>
    public IReadOnlyList<SplicedTrack> Tracks { get; init; } = [];

    /// <summary>Where each segment after the first begins in the spliced file (checked by decoding around it when appended).</summary>
    public IReadOnlyList<TimeSpan> Joins { get; init; } = [];

    public int Segments { get; init; }

    /// <summary>
    /// Why this file does not hold every one of <paramref name="closed"/> (the capture's segment indices), or null when it does.
    /// A state without <see cref="Indices"/> is trusted only when its count accounts for every closed index up to its last.
    /// </summary>
    public string? WhyNotHolding(IReadOnlyCollection<int> closed)
    {
        if (Indices is { } taken)
        {
            var missing = closed.Except(taken).Order().ToList();
            return missing.Count == 0 ? null : $"it lacks segment(s) {string.Join(", ", missing)} of the capture's {closed.Count}";
        }

        var after = closed.Where(i => i > LastIndex).Order().ToList();
        if (after.Count > 0)
        {
            return $"it lacks segment(s) {string.Join(", ", after)} of the capture's {closed.Count}";
        }

        var upTo = closed.Count(i => i <= LastIndex);
        return upTo > Segments ? $"it holds {Segments} segment(s) but the capture closed {upTo} up to its last, index {LastIndex}" : null;
    }

    /// <summary>The spliced file's length on its timeline: the latest end of any track.</summary>
    public TimeSpan Duration => Tracks.Count == 0 ? TimeSpan.Zero : Tracks.Max(t => t.EndTime);
}
