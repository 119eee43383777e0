using Recording.Durable.Dispatch;

namespace Recording.Durable.Tests.Versioning;

public sealed class RejectionWarningsTests
{
    [Fact]
    public void AnInstanceLeftAgainAndAgain_IsWarnedOfOnce_ThenAgainOnlyAfterTheInterval()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero));
        var warnings = new RejectionWarnings(clock);

        var first = warnings.ShouldWarn("rec-a");
        clock.Now += TimeSpan.FromSeconds(5);
        var fiveSecondsLater = warnings.ShouldWarn("rec-a");
        var anotherInstance = warnings.ShouldWarn("rec-b");
        clock.Now += RejectionWarnings.Interval - TimeSpan.FromSeconds(6);
        var justBeforeTheInterval = warnings.ShouldWarn("rec-a");
        clock.Now += TimeSpan.FromSeconds(1);
        var atTheInterval = warnings.ShouldWarn("rec-a");

        Assert.Equal([true, false, true, false, true], [first, fiveSecondsLater, anotherInstance, justBeforeTheInterval, atTheInterval]);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
