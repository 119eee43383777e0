using Microsoft.Extensions.Options;
using Recording.Functions.Events;
using Recording.Functions.Hosting;

namespace Recording.Functions.Tests.Http;

/// <summary>An early stop holds for Event Grid's retry window and no longer, and old ones are cleared as new ones come.</summary>
public sealed class EarlyStopsTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("early-stops-").FullName;

    [Fact]
    public async Task AStop_HoldsForTheWindow_ThenLapses_AndIsClearedByALaterStop()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var stops = new EarlyStops(Options.Create(new LocalDataOptions { DataDirectory = data }), clock);

        await stops.RememberAsync("rec-a");

        Assert.True(stops.Holds("rec-a"));
        Assert.False(stops.Holds("rec-b"));
        clock.Now += EarlyStops.Window - TimeSpan.FromMinutes(1);
        Assert.True(stops.Holds("rec-a"));
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.False(stops.Holds("rec-a"));

        await stops.RememberAsync("rec-b");
        Assert.Equal(["rec-b"], Directory.GetFiles(Path.Combine(data, "recordings", ".early-stops")).Select(Path.GetFileName));
    }

    public void Dispose() => Directory.Delete(data, recursive: true);

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
