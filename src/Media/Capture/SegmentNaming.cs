using System.Globalization;
using System.Text.RegularExpressions;
using Recording.Media.Manifest;

namespace Recording.Media.Capture;

/// <summary>How segment files are named per format, and how an index is read back from a name (crash recovery scans by name).</summary>
public sealed partial class SegmentNaming
{
    private readonly string prefix;
    private readonly string extension;

    public SegmentNaming(SegmentFormat format, HlsSegmentType hlsSegmentType = HlsSegmentType.Ts)
    {
        Format = format;
        HlsSegmentType = hlsSegmentType;
        (prefix, extension) = format switch
        {
            SegmentFormat.Fmp4 or SegmentFormat.Mp4 => ("segment_", ".mp4"),
            SegmentFormat.Flv => ("segment_", ".flv"),
            SegmentFormat.Ts => ("segment_", ".ts"),
            SegmentFormat.M4a => ("segment_", ".m4a"),
            SegmentFormat.Hls => ("seg_", hlsSegmentType == HlsSegmentType.Fmp4 ? ".m4s" : ".ts"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format"),
        };
    }

    public SegmentFormat Format { get; }

    public HlsSegmentType HlsSegmentType { get; }

    public const string PlaylistName = "index.m3u8";

    /// <summary>The printf pattern ffmpeg expands (5 digits: 99999 ten-second segments are 11 days).</summary>
    public string Pattern => prefix + "%05d" + extension;

    public string FileName(int index) => prefix + index.ToString("00000", CultureInfo.InvariantCulture) + extension;

    /// <summary>The fMP4 HLS initialisation segment of one ffmpeg run (a reconnect may bring new codec parameters).</summary>
    public static string InitFileName(int run) => "init_" + run.ToString("000", CultureInfo.InvariantCulture) + ".mp4";

    public static int? InitRun(string fileName)
    {
        var match = InitName().Match(fileName);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The index in a segment file name of this format, or null if the name is not one of ours.</summary>
    public int? IndexOf(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(extension, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = name[prefix.Length..^extension.Length];
        return digits.Length >= 5 && digits.All(char.IsAsciiDigit) && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    [GeneratedRegex(@"^init_(\d{3,})\.mp4$")]
    private static partial Regex InitName();
}
