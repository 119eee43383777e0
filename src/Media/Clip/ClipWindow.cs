using Recording.Media.Manifest;

namespace Recording.Media.Clip;

/// <summary>
/// The run of segments a clip reads: those its range touches, found from the durations the capture probed into the
/// manifest, and one more on either side. A clip of a minute from a day in one-minute segments then probes a handful of
/// files, not 1,440, and an HLS capture's fMP4 segments are made standalone only there. The margin absorbs the manifest's
/// rounding (to the millisecond); inside the window the clip places itself by the durations it probes again, and where
/// those are not the manifest's, it reads every segment.
/// </summary>
/// <param name="First">Position (in index order) of the window's first segment.</param>
/// <param name="Count">How many segments the window holds.</param>
/// <param name="SecondsBefore">The manifest's duration of the segments before the window: where the window starts.</param>
/// <param name="SecondsAfter">The manifest's duration of the segments after the window.</param>
internal sealed record ClipWindow(int First, int Count, double SecondsBefore, double SecondsAfter)
{
    private const int Margin = 1;

    /// <summary>The manifest rounds to the millisecond; a standalone copy of an fMP4 segment may end a frame apart.</summary>
    private const double Agreement = 0.1;

    public static ClipWindow Everything(int segmentCount) => new(0, segmentCount, 0, 0);

    public static ClipWindow Around(IReadOnlyList<SegmentEntry> segments, double from, double to)
    {
        // A manifest written by hand may lack durations; then every segment is read and placed by its probe.
        if (segments.Any(s => !double.IsFinite(s.DurationSeconds) || s.DurationSeconds <= 0))
        {
            return Everything(segments.Count);
        }

        var starts = new double[segments.Count + 1];
        for (var i = 0; i < segments.Count; i++)
        {
            starts[i + 1] = starts[i] + segments[i].DurationSeconds;
        }

        var first = Math.Max(0, LastStartingAtOrBefore(starts, segments.Count, from) - Margin);
        var last = Math.Min(segments.Count - 1, LastStartingAtOrBefore(starts, segments.Count, to) + Margin);
        return new ClipWindow(first, last - first + 1, starts[first], starts[^1] - starts[last + 1]);
    }

    /// <summary>
    /// Whether the manifest's durations of the window's segments are those just probed (to <see cref="Agreement"/>). If
    /// not, the manifest's durations are not its files' (written by hand, or edited), the window may be in the wrong
    /// place, and the clip reads <see cref="Everything"/> instead.
    /// </summary>
    public bool Agrees(IReadOnlyList<SegmentEntry> segments, IReadOnlyList<double> probedSeconds)
        => Enumerable.Range(0, Count).All(k => Math.Abs(segments[First + k].DurationSeconds - probedSeconds[k]) <= Agreement);

    private static int LastStartingAtOrBefore(double[] starts, int count, double time)
    {
        var index = 0;
        while (index + 1 < count && starts[index + 1] <= time)
        {
            index++;
        }

        return index;
    }
}
