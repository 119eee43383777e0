namespace Recording.Storage.Assembly;

/// <summary>
/// Formats whose files of one stream may be joined by concatenating their bytes: MPEG-TS (a sequence of
/// self-contained 188-byte packets; what ffmpeg's concat protocol does) and ADTS AAC (self-framed). MP4,
/// fragmented MP4 with a moov per file, FLV (a file header), M4A and WebM are not: their joins need a remux.
/// </summary>
public static class ByteConcatenableFormats
{
    public const string RuleFormat = "byte-concatenable-format";
    public const string RuleSameFormat = "same-format";
    public const string RuleSources = "at-least-one-source";

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".ts", ".aac" };

    public static bool IsConcatenable(string key) => Extensions.Contains(Path.GetExtension(key));

    /// <summary>Throws <see cref="ConcatenationRefusedException"/> unless every source and the target share one byte-concatenable format.</summary>
    public static void EnsureConcatenable(IReadOnlyList<string> sourceKeys, string targetKey)
    {
        if (sourceKeys.Count == 0)
        {
            throw new ConcatenationRefusedException("sourceKeys", RuleSources, "at least one source is needed.");
        }

        if (!IsConcatenable(targetKey))
        {
            throw new ConcatenationRefusedException("targetKey", RuleFormat,
                $"'{Path.GetExtension(targetKey)}' files cannot be joined by concatenating bytes (only {string.Join(", ", Extensions.Order())}); splice them with ffmpeg.");
        }

        var extension = Path.GetExtension(targetKey);
        foreach (var key in sourceKeys)
        {
            if (!string.Equals(Path.GetExtension(key), extension, StringComparison.OrdinalIgnoreCase))
            {
                throw new ConcatenationRefusedException("sourceKeys", RuleSameFormat, $"'{key}' is not a '{extension}' file like the target.");
            }
        }
    }
}
