namespace Recording.Durable.Bench;

/// <summary>What one backend measured: activity round trip percentiles and mean (ms) and the two throughputs (per second).</summary>
internal sealed record BenchResult(
    string Backend,
    double RoundTripP50Ms,
    double RoundTripP99Ms,
    double RoundTripMeanMs,
    double OrchestrationsPerSecond,
    TimeSpan SequentialElapsed,
    double FanOutActivitiesPerSecond,
    TimeSpan FanOutElapsed);
