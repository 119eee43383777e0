namespace Recording.Durable.Bench;

/// <summary>What one backend measured: activity round trips (ms), the sequential-orchestrations run and the fan-out run.</summary>
internal sealed record BenchResult(
    string Backend,
    IReadOnlyList<double> RoundTripsMs,
    int Orchestrations,
    TimeSpan SequentialElapsed,
    int FanOut,
    TimeSpan FanOutElapsed)
{
    public double RoundTripP50Ms => Percentile.Of(RoundTripsMs, 50);

    public double RoundTripP99Ms => Percentile.Of(RoundTripsMs, 99);

    /// <summary>The rate of one orchestration calling activities one after another.</summary>
    public double SequenceActivitiesPerSecond => 1000 / RoundTripsMs.Average();

    public double OrchestrationsPerSecond => Orchestrations / SequentialElapsed.TotalSeconds;

    public double FanOutActivitiesPerSecond => FanOut / FanOutElapsed.TotalSeconds;
}
