using Recording.Media.Capture;

namespace Recording.Media.Tests.Capture;

public sealed class SourceTimelineWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_FlvTimestampsBackBySeconds_IsANewTimeline()
    {
        var reason = new SourceTimelineWatch().Observe("[flv @ 0x55d0c8a3e140] DTS 21 < 6721 out of order", Start);

        Assert.Equal("the source's timestamps went back from 6.721 s to 0.021 s (a new publisher)", reason);
    }

    [Fact]
    public void Observe_FlvTimestampLateByAFewMilliseconds_IsJitter()
    {
        Assert.Null(new SourceTimelineWatch().Observe("[flv @ 0x55d0c8a3e140] DTS 6700 < 6721 out of order", Start));
    }

    [Fact]
    public void Observe_ABurstOfClampedTimestamps_IsANewTimelineOnce()
    {
        var watch = new SourceTimelineWatch();
        const string Clamped = "[segment @ 0x562bbc23f140] Non-monotonous DTS in output stream 0:1; previous: 221683, current: 161024; changing to 221684. This may result in incorrect timestamps in the output file.";
        var reasons = Enumerable.Range(0, SourceTimelineWatch.ClampBurst * 2).Select(i => watch.Observe(Clamped, Start.AddMilliseconds(20 * i))).ToList();

        Assert.Single(reasons, r => r is not null);
        Assert.NotNull(reasons[SourceTimelineWatch.ClampBurst - 1]);
    }

    [Fact]
    public void Observe_ClampedTimestampsSecondsApart_AreJitter()
    {
        var watch = new SourceTimelineWatch();
        var reasons = Enumerable.Range(0, SourceTimelineWatch.ClampBurst * 3)
            .Select(i => watch.Observe("[mp4 @ 0x1] Non-monotonous DTS in output stream 0:0; previous: 10, current: 9; changing to 11.", Start.AddSeconds(0.5 * i)))
            .ToList();

        Assert.All(reasons, Assert.Null);
    }

    [Fact]
    public void Observe_OtherLines_AreIgnored()
    {
        var watch = new SourceTimelineWatch();

        Assert.Null(watch.Observe("[segment @ 0x1] Opening '/tmp/x/segment_00001.mp4' for writing", Start));
        Assert.Null(watch.Observe("frame=  250 fps= 25 q=-1.0 size=N/A time=00:00:10.00 bitrate=N/A speed=   1x", Start));
    }
}
