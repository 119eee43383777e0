using Recording.Functions.Compositions;
using Recording.Functions.Recordings;

namespace Recording.Functions.Tests.Compositions;

/// <summary>Where a recording's stretches go on a composition's timeline: one per stretch without a gap, each from its offset into the spliced file.</summary>
public sealed class TrackPresencesTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ContinuousSegments_AreOnePresence_FromTheFirstSegmentToTheEndOfTheSplicedFile()
    {
        // Segments meet to within a few milliseconds, as a continuous capture's do.
        var segments = new[] { Segment(0, 2.0, 4.0), Segment(1, 6.004, 4.0), Segment(2, 10.01, 1.5) };

        var presence = Assert.Single(TrackPresences.Place(segments, Origin, TimeSpan.FromSeconds(9.48)));

        Assert.Equal(new TrackPresence(2.0, 11.48, 0), presence);
    }

    [Fact]
    public void AGapOfSeconds_SplitsThePresence_AndTheSecondPlaysFromWhereTheFirstEndedInTheFile()
    {
        // 8 s recorded, the source away for 5 s, then 3 s more: the spliced file is 11 s with the gap closed.
        var segments = new[] { Segment(0, 0, 4), Segment(1, 4, 4), Segment(2, 13, 3) };

        var presences = TrackPresences.Place(segments, Origin, TimeSpan.FromSeconds(11));

        Assert.Equal([new TrackPresence(0, 8, 0), new TrackPresence(13, 16, 8)], presences);
        var track = new ComposedTrack("rec", "Alice", "host", presences);
        Assert.Equal((0d, 16d), (track.JoinAt, track.LeaveAt));
    }

    [Fact]
    public void ASplicedFileFarShorterThanItsSegments_DoesNotEndTheLastStretchBeforeItBegins()
    {
        var segments = new[] { Segment(0, 0, 4), Segment(1, 10, 4) };

        Assert.Equal([new TrackPresence(0, 4, 0), new TrackPresence(10, 14, 4)], TrackPresences.Place(segments, Origin, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void SegmentsOutOfOrder_ArePlacedByTheirIndex()
    {
        var segments = new[] { Segment(1, 9, 4), Segment(0, 5, 4) };

        Assert.Equal([new TrackPresence(5, 13, 0)], TrackPresences.Place(segments, Origin, TimeSpan.FromSeconds(8)));
    }

    private static RecordingSegment Segment(int index, double startSeconds, double seconds)
    {
        var started = Origin.AddSeconds(startSeconds);
        return new RecordingSegment(index, $"rec/segments/{index}.mp4", started, started.AddSeconds(seconds), TimeSpan.FromSeconds(seconds), 1000);
    }
}
