namespace Recording.Durable.Bench;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class Percentile
{
    public static double Of(IReadOnlyList<double> sample, double percent)
    {
        if (sample.Count == 0)
        {
            return double.NaN;
        }

        var sorted = sample.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
