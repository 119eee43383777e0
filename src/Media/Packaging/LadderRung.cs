namespace Recording.Media.Packaging;

/// <summary>
/// One video rendition of a ladder, named by its short side ("720" is 1280x720 for landscape, 720x1280 for portrait).
/// Default bitrates (H.264 High), close to Apple's HLS authoring guide for 30 fps talking-head content:
/// <code>
/// rung | video kbit/s | maxrate
///  240 |          400 |     600
///  360 |          800 |    1200
///  480 |         1200 |    1800
///  720 |         2800 |    4200
/// 1080 |         5000 |    7500
/// </code>
/// maxrate is 1.5 times the average and the VBV buffer twice the average. Audio is not per rung: the ladder encodes
/// it once (<see cref="LadderRequest.AudioKbps"/>) and every rung carries the same AAC, as Apple's guide likewise gives
/// all video variants one audio rendition.
/// </summary>
public sealed record LadderRung(int ShortSide, int VideoKbps)
{
    public int MaxRateKbps => VideoKbps * 3 / 2;

    public int BufferKbits => VideoKbps * 2;

    public static IReadOnlyList<LadderRung> Defaults { get; } =
    [
        new(240, 400),
        new(360, 800),
        new(480, 1200),
        new(720, 2800),
        new(1080, 5000),
    ];

    /// <summary>The default rung for a short side, or one with its bitrate scaled by pixel count from the nearest default.</summary>
    public static LadderRung For(int shortSide)
    {
        var known = Defaults.FirstOrDefault(r => r.ShortSide == shortSide);
        if (known is not null)
        {
            return known;
        }

        var nearest = Defaults.MinBy(r => Math.Abs(r.ShortSide - shortSide))!;
        var scale = (double)shortSide * shortSide / (nearest.ShortSide * nearest.ShortSide);
        return new LadderRung(shortSide, Math.Max(100, (int)(nearest.VideoKbps * scale)));
    }
}
