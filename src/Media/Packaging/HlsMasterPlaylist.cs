using System.Globalization;
using System.Text;

namespace Recording.Media.Packaging;

/// <summary>One EXT-X-STREAM-INF entry: a rendition and what a player needs to choose it.</summary>
public sealed record HlsVariant
{
    /// <summary>Peak bits per second over any one segment (RFC 8216 BANDWIDTH).</summary>
    public required long Bandwidth { get; init; }

    public required long AverageBandwidth { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>RFC 6381 codecs, e.g. "avc1.64001f,mp4a.40.2".</summary>
    public required string Codecs { get; init; }

    public double FrameRate { get; init; }

    public required string Uri { get; init; }
}

/// <summary>One EXT-X-I-FRAME-STREAM-INF entry: a rendition's I-frame playlist, for trick play and scrubbing.</summary>
public sealed record HlsIFrameVariant
{
    /// <summary>Peak bits per second over any one key frame.</summary>
    public required long Bandwidth { get; init; }

    public required long AverageBandwidth { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>The video codec alone: an I-frame playlist carries no audio.</summary>
    public required string Codecs { get; init; }

    public required string Uri { get; init; }
}

/// <summary>An HLS master (multivariant) playlist.</summary>
public sealed record HlsMasterPlaylist(IReadOnlyList<HlsVariant> Variants)
{
    public IReadOnlyList<HlsIFrameVariant> IFrameVariants { get; init; } = [];

    public string Render()
    {
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        foreach (var v in Variants)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={v.Bandwidth},AVERAGE-BANDWIDTH={v.AverageBandwidth},RESOLUTION={v.Width}x{v.Height},CODECS=\"{v.Codecs}\"");
            if (v.FrameRate > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $",FRAME-RATE={v.FrameRate:0.000}");
            }

            text.Append('\n').Append(v.Uri).Append('\n');
        }

        foreach (var v in IFrameVariants)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH={v.Bandwidth},AVERAGE-BANDWIDTH={v.AverageBandwidth},RESOLUTION={v.Width}x{v.Height},CODECS=\"{v.Codecs}\",URI=\"{v.Uri}\"\n");
        }

        return text.ToString();
    }

    public static HlsMasterPlaylist Parse(string text)
    {
        var variants = new List<HlsVariant>();
        var iFrameVariants = new List<HlsIFrameVariant>();
        Dictionary<string, string>? pending = null;
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("#EXT-X-I-FRAME-STREAM-INF:", StringComparison.Ordinal))
            {
                var iFrame = HlsAttributes.Parse(line[26..]);
                var (iFrameWidth, iFrameHeight) = Resolution(iFrame["RESOLUTION"]);
                iFrameVariants.Add(new HlsIFrameVariant
                {
                    Bandwidth = long.Parse(iFrame["BANDWIDTH"], CultureInfo.InvariantCulture),
                    AverageBandwidth = iFrame.TryGetValue("AVERAGE-BANDWIDTH", out var average) ? long.Parse(average, CultureInfo.InvariantCulture) : 0,
                    Width = iFrameWidth,
                    Height = iFrameHeight,
                    Codecs = iFrame["CODECS"],
                    Uri = iFrame["URI"],
                });
            }
            else if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                pending = HlsAttributes.Parse(line[18..]);
            }
            else if (!line.StartsWith('#') && pending is not null)
            {
                var (width, height) = Resolution(pending["RESOLUTION"]);
                variants.Add(new HlsVariant
                {
                    Bandwidth = long.Parse(pending["BANDWIDTH"], CultureInfo.InvariantCulture),
                    AverageBandwidth = pending.TryGetValue("AVERAGE-BANDWIDTH", out var average) ? long.Parse(average, CultureInfo.InvariantCulture) : 0,
                    Width = width,
                    Height = height,
                    Codecs = pending["CODECS"],
                    FrameRate = pending.TryGetValue("FRAME-RATE", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 0,
                    Uri = line,
                });
                pending = null;
            }
        }

        return new HlsMasterPlaylist(variants) { IFrameVariants = iFrameVariants };
    }

    /// <summary>RESOLUTION=WxH.</summary>
    private static (int Width, int Height) Resolution(string value)
    {
        var parts = value.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
