using System.Globalization;

namespace Recording.Capture.Bench;

/// <summary>
/// CPU seconds used so far by a process and all its descendants, from /proc: user + system time of the live ones, plus
/// the children they have already reaped (cutime + cstime), which is where a finished ffprobe's time goes.
/// </summary>
public static class ProcessTreeCpu
{
    private static readonly double TicksPerSecond = ReadClockTicks();

    /// <summary>
    /// One reading of /proc for all roots at once, so that they are compared at the same moment: each root's whole tree,
    /// and the root alone with the children it has reaped (for a worker: everything but the ffmpeg it is running).
    /// </summary>
    public static IReadOnlyList<(double Tree, double Root)> Read(IReadOnlyList<int> roots)
    {
        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name, which may itself hold spaces and parentheses: state ppid ... utime(14) stime(15) cutime(16) cstime(17).
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
                stats[pid] = ((int)Field(4), Field(14) + Field(15) + Field(16) + Field(17));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited while we were reading: its time is now in its parent's cutime.
            }
        }

        var children = stats.GroupBy(s => s.Value.Parent).ToDictionary(g => g.Key, g => g.Select(s => s.Key).ToList());
        return roots.Select(root => (Sum(root, stats, children) / TicksPerSecond, stats.GetValueOrDefault(root).Ticks / TicksPerSecond)).ToList();
    }

    /// <summary>This process with the children it has already reaped.</summary>
    public static double ReadSelf()
    {
        var text = File.ReadAllText("/proc/self/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return Enumerable.Range(14, 4).Sum(n => long.Parse(fields[n - 3], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static long Sum(int pid, Dictionary<int, (int Parent, long Ticks)> stats, Dictionary<int, List<int>> children)
    {
        var total = stats.TryGetValue(pid, out var own) ? own.Ticks : 0;
        foreach (var child in children.GetValueOrDefault(pid) ?? [])
        {
            total += Sum(child, stats, children);
        }

        return total;
    }

    private static double ReadClockTicks()
    {
        using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
        var text = getconf.StandardOutput.ReadToEnd().Trim();
        getconf.WaitForExit();
        return double.TryParse(text, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
    }
}
