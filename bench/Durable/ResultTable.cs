using System.Globalization;
using System.Text;

namespace Recording.Durable.Bench;

/// <summary>Prints the measured figures as a markdown table, beside Durable Functions' published Azure Storage figures.</summary>
internal static class ResultTable
{
    /// <summary>Published performance targets of Durable Functions' Azure Storage provider, per app instance (learn.microsoft.com,
    /// "Azure Storage provider (Azure Functions)", Performance targets): sequential activity execution about 5 activities per
    /// second; parallel (fan-out) activity execution about 100 activities per second.</summary>
    public const double PublishedSequentialActivitiesPerSecond = 5;

    public const double PublishedFanOutActivitiesPerSecond = 100;

    public static string Render(BenchSettings settings, IReadOnlyList<BenchResult> results, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}");
        text.AppendLine(CultureInfo.InvariantCulture, $"One worker process per backend; {settings.RoundTrips} sequential round trips, {settings.Orchestrations} orchestrations x 3 sequential activities, fan-out of {settings.FanOut} activities.");
        text.AppendLine();
        text.AppendLine("| backend | round trip p50 (ms) | p99 (ms) | p50 target | one sequence: activities/s | vs DF ~5/s | orchestrations/s (3 seq. activities each) | fan-out activities/s | vs DF ~100/s |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var target = r.Backend.StartsWith("SQLite", StringComparison.Ordinal) ? 5 : 50;
            var sequentialActivities = 1000 / r.RoundTripMeanMs;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Backend} | {r.RoundTripP50Ms:F1} | {r.RoundTripP99Ms:F1} | <= {target} ms: {(r.RoundTripP50Ms <= target ? "met" : "missed")} | {r.OrchestrationsPerSecond:F1} ({r.SequentialElapsed.TotalSeconds:F1} s) | {sequentialActivities:F0} | x{sequentialActivities / PublishedSequentialActivitiesPerSecond:F1} | {r.FanOutActivitiesPerSecond:F0} ({r.FanOutElapsed.TotalSeconds:F1} s) | x{r.FanOutActivitiesPerSecond / PublishedFanOutActivitiesPerSecond:F1} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Durable Functions, Azure Storage (published, per instance) | | | | ~{PublishedSequentialActivitiesPerSecond:F0} | x1 | | ~{PublishedFanOutActivitiesPerSecond:F0} | x1 |");
        text.AppendLine();
        text.AppendLine("Round trip: from one activity's return to the start of the next activity of the same sequence (result message, orchestrator episode with replay, request message, pick-up).");
        text.AppendLine("One sequence: 1000 / mean round trip, the rate of one orchestration calling activities one after another (DF's ~5/s scenario).");
        text.AppendLine("Orchestrations/s: all scheduled at once, from the first schedule to the last completion time the engine stored.");
        return text.ToString();
    }
}
