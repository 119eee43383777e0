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

    public static string Render(IReadOnlyList<BenchResult> results, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}. One worker (8 orchestration and 16 activity slots) per backend.");
        text.AppendLine();
        text.AppendLine("| backend | round trip p50 (ms) | p99 (ms) | p50 target | one sequence (activities/s) | vs DF ~5/s | orchestrations of 3 sequential activities (per s) | fan-out (activities/s) | vs DF ~100/s |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var target = r.Backend.StartsWith("SQLite", StringComparison.Ordinal) ? 5 : 50;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Backend} | {r.RoundTripP50Ms:F1} | {r.RoundTripP99Ms:F1} | <= {target} ms: {(r.RoundTripP50Ms <= target ? "met" : "missed")} " +
                $"| {r.SequenceActivitiesPerSecond:F0} | x{r.SequenceActivitiesPerSecond / PublishedSequentialActivitiesPerSecond:F1} " +
                $"| {r.OrchestrationsPerSecond:F1} ({r.Orchestrations} in {r.SequentialElapsed.TotalSeconds:F1} s) " +
                $"| {r.FanOutActivitiesPerSecond:F0} ({r.FanOut} in {r.FanOutElapsed.TotalSeconds:F1} s) | x{r.FanOutActivitiesPerSecond / PublishedFanOutActivitiesPerSecond:F1} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Durable Functions, Azure Storage (published, per instance) | | | | ~{PublishedSequentialActivitiesPerSecond:F0} | x1 | | ~{PublishedFanOutActivitiesPerSecond:F0} | x1 |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Round trip ({(results.Count > 0 ? results[0].RoundTripsMs.Count : 0)} per backend): from one activity's return to the start of the next activity of the same sequence (result message, orchestrator episode with replay, request message, pick-up).");
        text.AppendLine("One sequence: 1000 / mean round trip, the rate of one orchestration calling activities one after another (DF's ~5/s scenario).");
        text.AppendLine("Orchestrations: all scheduled at once (16 clients in parallel), from the first schedule to the last completion time the engine stored.");
        text.AppendLine("Azurite is one Node.js process serving every queue and table request on the same 2 cores, so its figures bound the engine's cost, not Azure Storage's.");
        return text.ToString();
    }
}
