using System.Globalization;

namespace Recording.Bench.Service;

/// <summary>Percentiles and the table rows the benches print.</summary>
internal static class Stats
{
    public static void Row(string name, IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Percentile(sorted, 0.50):0.00} | {Percentile(sorted, 0.99):0.00} | {sorted[0]:0.00} | {sorted[^1]:0.00} |"));
    }

    /// <summary>Linear interpolation between closest ranks.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
