using System.Globalization;

namespace Recording.Bench.Service;

/// <summary>The few command-line options the benches take: <c>--name value</c>.</summary>
internal static class BenchArgs
{
    public static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static IReadOnlyList<int> Ints(string[] args, string name, params int[] fallback) =>
        Value(args, name) is { } value ? value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList() : fallback;

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
