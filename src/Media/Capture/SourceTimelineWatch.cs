using System.Globalization;
using System.Text.RegularExpressions;

namespace Recording.Media.Capture;

/// <summary>
/// Notices, from ffmpeg's stderr, that the source started a new timeline inside one connection: a publisher that
/// reconnects to an RTMP server (OBS after a network blip, an encoder restart) is handed to players that are still
/// connected, with timestamps from zero and perhaps another resolution. ffmpeg keeps writing the open segment with the
/// first publisher's codec setup and every timestamp clamped to the last one, which leaves media that does not decode.
/// The capture ends such a run and reconnects, so that the new publisher gets a segment of its own.
/// </summary>
public sealed partial class SourceTimelineWatch
{
    /// <summary>A step back this large is a new timeline, not jitter (FLV timestamps are milliseconds).</summary>
    public static readonly TimeSpan FlvStepBack = TimeSpan.FromSeconds(1);

    /// <summary>This many clamped timestamps within <see cref="ClampWindow"/>: every packet is behind, not one late one.</summary>
    public const int ClampBurst = 10;

    public static readonly TimeSpan ClampWindow = TimeSpan.FromSeconds(1);

    private DateTimeOffset burstStart;
    private int burst;

    /// <summary>Looks at one stderr line; returns why the timeline is new the first time it sees that it is, else null.</summary>
    public string? Observe(string line, DateTimeOffset at)
    {
        if (FlvOutOfOrder().Match(line) is { Success: true } flv)
        {
            var now = long.Parse(flv.Groups[1].Value, CultureInfo.InvariantCulture);
            var before = long.Parse(flv.Groups[2].Value, CultureInfo.InvariantCulture);
            if (before - now >= FlvStepBack.TotalMilliseconds)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the source's timestamps went back from {before / 1000.0:0.###} s to {now / 1000.0:0.###} s (a new publisher)");
            }

            return null;
        }

        if (!line.Contains("Non-monotonous DTS", StringComparison.Ordinal))
        {
            return null;
        }

        if (burst == 0 || at - burstStart > ClampWindow)
        {
            burstStart = at;
            burst = 0;
        }

        burst++;
        return burst == ClampBurst ? $"ffmpeg clamped {ClampBurst} timestamps within {ClampWindow.TotalSeconds:0.#} s: the source's timeline went back" : null;
    }

    // flvdec.c: "DTS %d < %d out of order", the new timestamp first.
    [GeneratedRegex(@"\bDTS (-?\d+) < (-?\d+) out of order", RegexOptions.CultureInvariant)]
    private static partial Regex FlvOutOfOrder();
}
