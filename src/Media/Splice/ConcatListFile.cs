using System.Globalization;
using System.Text;

namespace Recording.Media.Splice;

/// <summary>One file of a concat demuxer script, optionally cut at an in point and an out point (seconds, file-local).</summary>
public sealed record ConcatEntry(string AbsolutePath, double? InPoint = null, double? OutPoint = null);

/// <summary>
/// Writes scripts for ffmpeg's concat demuxer. Only absolute paths that this code resolved itself (inside a manifest's
/// folder, checked by <see cref="Validation.LocalMediaPath"/>) are written, which is why running it with "-safe 0" is sound;
/// quotes are escaped as the demuxer's tokenizer expects ('\'').
/// </summary>
public static class ConcatListFile
{
    public static string Render(IEnumerable<ConcatEntry> entries)
    {
        var text = new StringBuilder("ffconcat version 1.0\n");
        foreach (var entry in entries)
        {
            if (!Path.IsPathRooted(entry.AbsolutePath) || entry.AbsolutePath.Any(char.IsControl))
            {
                throw new ArgumentException($"Concat entries must be absolute paths without control characters: {entry.AbsolutePath}", nameof(entries));
            }

            text.Append("file '").Append(entry.AbsolutePath.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
            if (entry.InPoint is { } inPoint)
            {
                text.Append(CultureInfo.InvariantCulture, $"inpoint {inPoint:0.######}\n");
            }

            if (entry.OutPoint is { } outPoint)
            {
                text.Append(CultureInfo.InvariantCulture, $"outpoint {outPoint:0.######}\n");
            }
        }

        return text.ToString();
    }

    public static async Task<string> WriteAsync(string path, IEnumerable<ConcatEntry> entries, CancellationToken cancellationToken = default)
    {
        await File.WriteAllTextAsync(path, Render(entries), cancellationToken);
        return path;
    }

    /// <summary>
    /// The ffmpeg input arguments that read a script written by this class. auto_convert is off so that H.264 packets
    /// pass byte for byte (callers copy only when every file shares the same SPS/PPS, so no in-band parameter sets are needed).
    /// </summary>
    public static IReadOnlyList<string> InputArguments(string listPath)
        => ["-f", "concat", "-safe", "0", "-auto_convert", "0", "-protocol_whitelist", "file", "-i", listPath];
}
