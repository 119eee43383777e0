using System.Globalization;

namespace Recording.Bench.Service;

/// <summary>The machine's busy CPU share between two readings of /proc/stat (all cores, all processes).</summary>
internal sealed class CpuMeter
{
    private readonly (long Idle, long Total) start;

    private CpuMeter((long Idle, long Total) start) => this.start = start;

    public static CpuMeter Start() => new(Read());

    public double BusyFraction()
    {
        var now = Read();
        var total = now.Total - start.Total;
        return total == 0 ? 0 : 1 - ((double)(now.Idle - start.Idle) / total);
    }

    private static (long Idle, long Total) Read()
    {
        // "cpu user nice system idle iowait irq softirq steal ..."; idle time is idle + iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Take(8).Sum());
    }
}
