using System.Globalization;
using System.Text;

namespace Recording.Media.Packaging;

/// <summary>One key frame of an I-frame playlist: its bytes inside a TS segment and the time it stands for (until the next one).</summary>
public sealed record HlsIFrame(double Duration, string Uri, long Offset, long Length);

/// <summary>
/// An I-frame playlist (RFC 8216 EXT-X-I-FRAMES-ONLY) over a rendition's TS segments: each entry is the byte range of one
/// key frame, so a player can scrub and fast-forward by fetching key frames alone. The map is the first segment's
/// PAT and PMT, which a range taken from the middle of a segment does not carry.
/// </summary>
public sealed record HlsIFramePlaylist
{
    public const string Name = "iframes.m3u8";

    public required string MapUri { get; init; }

    public required long MapLength { get; init; }

    public required IReadOnlyList<HlsIFrame> Frames { get; init; }

    public double TotalDuration => Frames.Sum(f => f.Duration);

    public int TargetDuration => HlsMediaPlaylist.TargetDurationFor(Frames.Select(f => f.Duration));

    /// <summary>Peak bits per second over any one key frame (RFC 8216 BANDWIDTH of an EXT-X-I-FRAME-STREAM-INF).</summary>
    public long PeakBitsPerSecond => Frames.Count == 0 ? 0 : Frames.Max(f => (long)Math.Ceiling(f.Length * 8 / Math.Max(f.Duration, 0.001)));

    public long AverageBitsPerSecond => (long)Math.Ceiling(Frames.Sum(f => f.Length) * 8 / Math.Max(TotalDuration, 0.001));

    public string Render()
    {
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{TargetDuration}\n");
        text.Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-I-FRAMES-ONLY\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MAP:URI=\"{MapUri}\",BYTERANGE=\"{MapLength}@0\"\n");
        foreach (var frame in Frames)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{frame.Duration:0.000000},\n#EXT-X-BYTERANGE:{frame.Length}@{frame.Offset}\n{frame.Uri}\n");
        }

        return text.Append("#EXT-X-ENDLIST\n").ToString();
    }

    public static HlsIFramePlaylist Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "#EXTM3U" || !lines.Contains("#EXT-X-I-FRAMES-ONLY"))
        {
            throw new FormatException("An I-frame playlist starts with #EXTM3U and carries #EXT-X-I-FRAMES-ONLY.");
        }

        string? mapUri = null;
        long mapLength = 0;
        var frames = new List<HlsIFrame>();
        double? duration = null;
        (long Length, long Offset)? range = null;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal))
            {
                var map = HlsAttributes.Parse(line[11..]);
                mapUri = map["URI"];
                var mapRange = ByteRange(map["BYTERANGE"]);
                mapLength = mapRange.Offset == 0 ? mapRange.Length : throw new FormatException("The map is expected at the start of its segment.");
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                duration = double.Parse(line[8..].Split(',')[0], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-BYTERANGE:", StringComparison.Ordinal))
            {
                range = ByteRange(line[17..]);
            }
            else if (!line.StartsWith('#'))
            {
                var (length, offset) = range ?? throw new FormatException($"I-frame {line} has no #EXT-X-BYTERANGE.");
                frames.Add(new HlsIFrame(duration ?? throw new FormatException($"I-frame {line} has no #EXTINF."), line, offset, length));
                (duration, range) = (null, null);
            }
        }

        return new HlsIFramePlaylist { MapUri = mapUri ?? throw new FormatException("An I-frame playlist of TS segments needs #EXT-X-MAP."), MapLength = mapLength, Frames = frames };
    }

    /// <summary>"length@offset"; this playlist always writes the offset.</summary>
    private static (long Length, long Offset) ByteRange(string value)
    {
        var parts = value.Split('@');
        return parts.Length == 2
            ? (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture))
            : throw new FormatException($"Byte range {value} has no offset.");
    }
}
