using System.Globalization;
using System.Text.RegularExpressions;

namespace Recording.Worker.Commands;

/// <summary>Parses sizes as 512M, 2G, 100K or a plain number of bytes (binary units).</summary>
internal static partial class ByteSizeText
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var multiplier = match.Groups["u"].Value.ToUpperInvariant() switch
        {
            "K" => 1L << 10,
            "M" => 1L << 20,
            "G" => 1L << 30,
            "T" => 1L << 40,
            _ => 1L,
        };
        bytes = (long)(double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) * multiplier);
        return true;
    }

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)(?<u>[KkMmGgTt]?)(?:i?[Bb])?$")]
    private static partial Regex Pattern();
}
