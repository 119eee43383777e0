namespace Recording.Media.Packaging;

/// <summary>
/// One rendition of a ladder, named by its short side ("720" is 1280x720 for landscape, 720x1280 for portrait).
/// Default bitrates (H.264 High, AAC-LC), close to Apple's HLS authoring guide for 30 fps talking-head content:
/// <code>
/// rung | video kbit/s | maxrate | audio kbit/s
///  240 |          400 |     600 |           64
///  360 |          800 |    1200 |           96
///  480 |         1200 |    1800 |           96
///  720 |         2800 |    4200 |          128
/// 1080 |         5000 |    7500 |          128
/// </code>
/// maxrate is 1.5 times the average and the VBV buffer twice the average.
/// </summary>
public sealed record LadderRung(int ShortSide, int VideoKbps, int AudioKbps)
{
    public int MaxRateKbps => VideoKbps * 3 / 2;

    public int BufferKbits => VideoKbps * 2;

    public static IReadOnlyList<LadderRung> Defaults { get; } =
    [
        new(240, 400, 64),
        new(360, 800, 96),
        new(480, 1200, 96),
        new(720, 2800, 128),
        new(1080, 5000, 128),
    ];

    /// <summary>The default rung for a short side, or one with bitrates scaled by pixel count from the nearest default.</summary>
    public static LadderRung For(int shortSide)
    {
        var known = Defaults.FirstOrDefault(r => r.ShortSide == shortSide);
        if (known is not null)
        {
            return known;
        }

        var nearest = Defaults.MinBy(r => Math.Abs(r.ShortSide - shortSide))!;
        var scale = (double)shortSide * shortSide / (nearest.ShortSide * nearest.ShortSide);
        return new LadderRung(shortSide, Math.Max(100, (int)(nearest.VideoKbps * scale)), nearest.AudioKbps);
    }
}
