using System.Globalization;

namespace Recording.Media.Bench;

/// <summary>
/// Two ways of doing the same work, timed in pairs with the order alternating. The machine is shared and its speed drifts
/// over minutes (the same ladder encode's best of three moved 5.3-6.6 s between bench runs), so a ratio is taken within
/// each pair, where both ways met the same neighbours, and the median pair is reported; the times are the best of each.
/// </summary>
internal sealed class PairedTimings
{
    private readonly List<(double Baseline, double Candidate)> pairs = [];

    public double BestBaseline => pairs.Min(p => p.Baseline);

    public double BestCandidate => pairs.Min(p => p.Candidate);

    /// <summary>Baseline time over candidate time in the median pair (the lower one of an even count): above 1 means the candidate is faster.</summary>
    public double MedianRatio => Ratios()[(pairs.Count - 1) / 2];

    /// <summary>Times baseline and candidate in <paramref name="runs"/> pairs, the candidate first in every other pair.</summary>
    public static async Task<PairedTimings> MeasureAsync(string what, int runs, Func<int, Task<double>> baseline, Func<int, Task<double>> candidate)
    {
        var timings = new PairedTimings();
        for (var run = 0; run < runs; run++)
        {
            Console.Error.WriteLine($"{what}, run {run + 1} ...");
            if (run % 2 == 0)
            {
                var first = await candidate(run);
                timings.Add(await baseline(run), first);
            }
            else
            {
                var first = await baseline(run);
                timings.Add(first, await candidate(run));
            }
        }

        return timings;
    }

    public void Add(double baseline, double candidate) => pairs.Add((baseline, candidate));

    public string Describe()
    {
        var ratios = Ratios();
        return string.Create(CultureInfo.InvariantCulture, $"median of {pairs.Count} pairs, range {ratios[0]:0.00}x-{ratios[^1]:0.00}x; best against best {BestBaseline / BestCandidate:0.00}x");
    }

    private List<double> Ratios() => [.. pairs.Select(p => p.Baseline / p.Candidate).Order()];
}
