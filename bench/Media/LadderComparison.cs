using Recording.Media.Packaging;

namespace Recording.Media.Bench;

/// <summary>
/// A ladder encoded in one process against one process per rung side by side, in paired runs: the encodes' wall times,
/// their CPU (from <see cref="EncoderCpuLog"/>) and the whole jobs' times, each pair in the same order as the walls.
/// </summary>
internal sealed class LadderComparison(string folder, EncoderCpuLog cpuLog, int runs)
{
    private int comparisons;

    public async Task<LadderResults> CompareAsync(string what, string source, IReadOnlyList<int> rungs, string preset)
    {
        var comparison = ++comparisons;
        var wholeJob = new Dictionary<(LadderProcessMode Mode, int Run), double>();
        var encode = new Dictionary<(LadderProcessMode Mode, int Run), (double Wall, double Cpu)>();
        async Task<double> EncodeAsync(LadderProcessMode mode, int run)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ladder = await new LadderPackager(cpuLog.Options).PackageAsync(
                new LadderRequest(source, Path.Combine(folder, $"ladder-{comparison}-{mode}-{run}")) { Rungs = rungs, Mode = mode, X264Preset = preset });
            wholeJob[(mode, run)] = watch.Elapsed.TotalSeconds;
            encode[(mode, run)] = (ladder.EncodeDuration.TotalSeconds, cpuLog.TakeEncodeSeconds());
            return ladder.EncodeDuration.TotalSeconds;
        }

        var encodes = await PairedTimings.MeasureAsync(what, runs, run => EncodeAsync(LadderProcessMode.ProcessPerRung, run), run => EncodeAsync(LadderProcessMode.OneProcess, run));
        var wholeJobs = new PairedTimings();
        var cpu = new PairedTimings();
        for (var run = 0; run < runs; run++)
        {
            wholeJobs.Add(wholeJob[(LadderProcessMode.ProcessPerRung, run)], wholeJob[(LadderProcessMode.OneProcess, run)]);
            cpu.Add(encode[(LadderProcessMode.ProcessPerRung, run)].Cpu, encode[(LadderProcessMode.OneProcess, run)].Cpu);
        }

        // Cores kept busy: the encode's CPU over its wall time, median of the runs.
        double CoresBusy(LadderProcessMode mode)
            => Enumerable.Range(0, runs).Select(run => encode[(mode, run)]).Select(e => e.Cpu / e.Wall).Order().ElementAt((runs - 1) / 2);

        return new LadderResults(encodes, cpu, wholeJobs, CoresBusy(LadderProcessMode.OneProcess), CoresBusy(LadderProcessMode.ProcessPerRung), runs, preset);
    }
}

/// <summary>What a <see cref="LadderComparison"/> measured, and the table rows that report it against the 1.3x target.</summary>
internal sealed record LadderResults(PairedTimings Encodes, PairedTimings Cpu, PairedTimings WholeJobs, double OneProcessCores, double PerRungCores, int Runs, string Preset)
{
    /// <param name="ladder">The rungs and source, as the rows name them.</param>
    /// <param name="seconds">The source's duration.</param>
    public void AddRows(BenchTable table, string ladder, int seconds)
    {
        table.Add($"{ladder}, one process, encode", "x real time", BenchTable.Ratio(seconds / Encodes.BestCandidate), $"{Encodes.BestCandidate:0.0} s (x264 {Preset}, best of {Runs})");
        table.Add($"{ladder}, one process per rung (in parallel), encode", "x real time", BenchTable.Ratio(seconds / Encodes.BestBaseline), $"{Encodes.BestBaseline:0.0} s");
        table.Add($"{ladder} encode: one process vs one per rung", "speed ratio", BenchTable.Ratio(Encodes.MedianRatio), $"target >= 1.3x; {Encodes.Describe()}");
        table.Add($"{ladder} encode CPU: one per rung vs one process", "CPU ratio", BenchTable.Ratio(Cpu.MedianRatio), $"the speed ratio if both kept the cores equally busy; {Cpu.BestCandidate:0.0} CPU s vs {Cpu.BestBaseline:0.0} CPU s; {Cpu.Describe()}");
        table.Add($"{ladder} encode: cores kept busy (CPU s / wall s)", "cores", $"{OneProcessCores:0.00} / {PerRungCores:0.00}", $"one process / one per rung, median of {Runs} runs, of {Environment.ProcessorCount}");
    }
}
