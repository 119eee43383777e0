namespace Recording.Media.Packaging;

/// <summary>MPEG-TS presentation times: 33-bit counts of a 90 kHz clock, which wrap to zero every 26.5 hours.</summary>
internal static class MpegTsClock
{
    public const double TicksPerSecond = 90_000;

    private const long Wrap = 1L << 33;

    /// <summary>
    /// The time <paramref name="pts"/> stands for on the unwrapped count that <paramref name="previous"/> is on: the one
    /// nearest it, since a rendition's key frames are seconds apart, never half a wrap (13 hours).
    /// </summary>
    public static long Unwrap(long pts, long previous) => pts + ((long)Math.Round((double)(previous - pts) / Wrap) * Wrap);
}
