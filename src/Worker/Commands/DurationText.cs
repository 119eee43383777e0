using System.Globalization;
using System.Text.RegularExpressions;

namespace Recording.Worker.Commands;

/// <summary>Parses durations as people write them on a command line: 90s, 10m, 2h, 1h30m.</summary>
internal static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0)
        {
            return false;
        }

        foreach (var (group, unit) in new[] { ("h", 3600.0), ("m", 60.0), ("s", 1.0) })
        {
            if (match.Groups[group].Success)
            {
                value += TimeSpan.FromSeconds(double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) * unit);
            }
        }

        return true;
    }

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex Pattern();
}
