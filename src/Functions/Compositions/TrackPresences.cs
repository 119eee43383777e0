using Recording.Functions.Recordings;

namespace Recording.Functions.Compositions;

/// <summary>
/// Where a recording's stretches lie on a composition's timeline. Its spliced file closes the gaps between segments (a source
/// that dropped and came back), so each stretch of segments without a gap is placed at its own wall-clock start and played
/// from its offset into the file; placed as one piece, everything after a gap would run early by the gap's length.
/// </summary>
public static class TrackPresences
{
    /// <summary>Segments closer than this are one stretch: a continuous capture's segments meet to within milliseconds.</summary>
    public static readonly TimeSpan GapThreshold = TimeSpan.FromSeconds(1);

    /// <param name="segments">The recording's segments (wall-clock times, media durations).</param>
    /// <param name="origin">The composition's start: the earliest first segment of all its tracks.</param>
    /// <param name="splicedDuration">The spliced file's length: the last stretch ends with it.</param>
    public static IReadOnlyList<TrackPresence> Place(IReadOnlyList<RecordingSegment> segments, DateTimeOffset origin, TimeSpan splicedDuration)
    {
        var ordered = segments.OrderBy(s => s.Index).ToList();
        var presences = new List<TrackPresence>();
        var offset = TimeSpan.Zero;
        var stretchStart = 0;
        for (var i = 1; i <= ordered.Count; i++)
        {
            if (i < ordered.Count && ordered[i].StartedAt - ordered[i - 1].EndedAt <= GapThreshold)
            {
                continue;
            }

            var stretch = ordered.Skip(stretchStart).Take(i - stretchStart).ToList();
            var recorded = TimeSpan.FromTicks(stretch.Sum(s => s.Duration.Ticks));
            // The last stretch ends with the spliced file, which may differ from the segments' sum by a frame; never by all of it.
            var length = i == ordered.Count && splicedDuration - offset > recorded / 2 ? splicedDuration - offset : recorded;
            var joinAt = Seconds(stretch[0].StartedAt - origin);
            presences.Add(new TrackPresence(joinAt, Math.Round(joinAt + length.TotalSeconds, 3), Seconds(offset)));
            offset += length;
            stretchStart = i;
        }

        return presences;
    }

    private static double Seconds(TimeSpan value) => Math.Round(value.TotalSeconds, 3);
}
