namespace Recording.Durable.Versioning;

/// <summary>
/// Orders orchestration versions as Durable Functions does: no version (null or empty) equals no version and is older than
/// any; two versions that both parse as <see cref="Version"/> ("1.9" &lt; "1.10") compare as such; anything else ("2025-01-01",
/// "v1-release") compares as text, ignoring case. A whole number counts as a version of one part ("9" &lt; "10", "2" = "2.0"), where
/// <see cref="Version.TryParse(string?, out Version?)"/> alone would leave simple numbering to the text order ("10" &lt; "9").
/// </summary>
public static class OrchestrationVersion
{
    /// <summary>Negative when <paramref name="left"/> is older than <paramref name="right"/>, zero when equal, positive when newer.</summary>
    public static int Compare(string? left, string? right)
    {
        var leftEmpty = string.IsNullOrEmpty(left);
        var rightEmpty = string.IsNullOrEmpty(right);
        if (leftEmpty || rightEmpty)
        {
            return (leftEmpty ? 0 : 1) - (rightEmpty ? 0 : 1);
        }

        return Parse(left) is { } leftVersion && Parse(right) is { } rightVersion
            ? leftVersion.CompareTo(rightVersion)
            : string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
    }

    private static Version? Parse(string? text) =>
        Version.TryParse(text, out var version) ? version
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var whole) ? new Version(whole, 0)
        : null;
}
