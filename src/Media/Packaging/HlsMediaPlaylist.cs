using System.Globalization;
using System.Text;

namespace Recording.Media.Packaging;

/// <summary>One media segment of an HLS media playlist.</summary>
public sealed record HlsSegment(double Duration, string Uri);

/// <summary>The parts of an HLS media playlist (RFC 8216) that packaging writes and checks.</summary>
public sealed record HlsMediaPlaylist
{
    public int Version { get; init; }

    public int TargetDuration { get; init; }

    public string? PlaylistType { get; init; }

    public bool EndList { get; init; }

    /// <summary>The EXT-X-MAP URI (the fMP4 init segment), if any.</summary>
    public string? MapUri { get; init; }

    public IReadOnlyList<HlsSegment> Segments { get; init; } = [];

    public double TotalDuration => Segments.Sum(s => s.Duration);

    public static HlsMediaPlaylist Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "#EXTM3U")
        {
            throw new FormatException("An HLS playlist starts with #EXTM3U.");
        }

        var playlist = new HlsMediaPlaylist();
        var segments = new List<HlsSegment>();
        double? pending = null;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("#EXT-X-VERSION:", StringComparison.Ordinal))
            {
                playlist = playlist with { Version = int.Parse(line[15..], CultureInfo.InvariantCulture) };
            }
            else if (line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))
            {
                playlist = playlist with { TargetDuration = int.Parse(line[22..], CultureInfo.InvariantCulture) };
            }
            else if (line.StartsWith("#EXT-X-PLAYLIST-TYPE:", StringComparison.Ordinal))
            {
                playlist = playlist with { PlaylistType = line[21..] };
            }
            else if (line == "#EXT-X-ENDLIST")
            {
                playlist = playlist with { EndList = true };
            }
            else if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal))
            {
                playlist = playlist with { MapUri = HlsAttributes.Parse(line[11..]).GetValueOrDefault("URI") };
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                pending = double.Parse(line[8..].Split(',')[0], CultureInfo.InvariantCulture);
            }
            else if (!line.StartsWith('#'))
            {
                segments.Add(new HlsSegment(pending ?? throw new FormatException($"Segment {line} has no #EXTINF."), line));
                pending = null;
            }
        }

        return playlist with { Segments = segments };
    }

    /// <summary>The target duration the spec requires: no EXTINF, rounded, may exceed it; ceil is the safe choice.</summary>
    public int RequiredTargetDuration => TargetDurationFor(Segments.Select(s => s.Duration));

    /// <summary>EXT-X-TARGETDURATION for these EXTINF durations: the longest, rounded up (1 when there are none).</summary>
    internal static int TargetDurationFor(IEnumerable<double> durations)
        => durations.Select(d => (int)Math.Ceiling(d - 0.0005)).DefaultIfEmpty(1).Max();

    /// <summary>Rewrites a playlist so that EXT-X-TARGETDURATION is <see cref="RequiredTargetDuration"/>, whatever the muxer wrote.</summary>
    public static string WithRequiredTargetDuration(string text)
    {
        var required = Parse(text).RequiredTargetDuration;
        var output = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            output.Append(line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal) ? $"#EXT-X-TARGETDURATION:{required}" : line);
            output.Append('\n');
        }

        return output.ToString().TrimEnd('\n') + "\n";
    }
}
