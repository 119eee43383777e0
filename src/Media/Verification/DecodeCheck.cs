using System.Globalization;
using Recording.Media.Ffmpeg;
using Recording.Media.Probing;

namespace Recording.Media.Verification;

/// <summary>
/// Decodes every stream of a file to nowhere and collects what ffmpeg reports. Frames keep their own timestamps in the
/// file's own time base (-fps_mode passthrough, -enc_time_base -1): a stream-copied cut or splice is variable frame rate
/// at its joins, and rounding it to the null muxer's guessed frame rate (e.g. 299/12) puts two frames in one slot, which
/// ffmpeg reports as "non monotonically increasing dts" although every frame decodes.
/// </summary>
public sealed class DecodeCheck
{
    /// <summary>Inputs one ffmpeg process opens for <see cref="RunAroundAsync"/>: enough to pay its start once per many joins.</summary>
    private const int WindowsPerProcess = 24;

    /// <summary>How much media either side of a join is decoded (from the keyframe before the window's start).</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    private readonly FfmpegRunner runner;

    public DecodeCheck(FfmpegOptions? options = null)
    {
        runner = new FfmpegRunner(options);
    }

    public async Task<DecodeReport> RunAsync(string path, CancellationToken cancellationToken = default) =>
        await RunArgumentsAsync(["-hide_banner", "-nostdin", "-v", "error", "-i", "file:" + path, .. NullOutput], cancellationToken);

    /// <summary>
    /// For stream-copied outputs, whose frames are the inputs' own, unchanged: reads every packet of the file (a broken
    /// container or a missing HLS segment fails here) but decodes only the start and a window around each join,
    /// the only places a copy can break decoding. Its cost grows with the number of joins, not with the duration.
    /// </summary>
    public async Task<DecodeReport> RunAroundAsync(string path, TimeSpan duration, IReadOnlyList<TimeSpan> joins, CancellationToken cancellationToken = default)
    {
        var demux = await RunArgumentsAsync(["-hide_banner", "-nostdin", "-v", "error", "-i", "file:" + path, "-map", "0", "-c", "copy", "-f", "null", "-"], cancellationToken);
        if (!demux.IsClean)
        {
            return demux;
        }

        var windows = await RunWindowsAsync(path, duration, joins, includeStart: true, cancellationToken);
        return windows.IsClean ? demux : windows;
    }

    /// <summary>
    /// Decodes only a window around each join (and the start, when asked), reading nothing else: for a file whose other
    /// packets were read already, such as a spliced file checked piece by piece as it grew.
    /// </summary>
    public async Task<DecodeReport> RunWindowsAsync(string path, TimeSpan duration, IReadOnlyList<TimeSpan> joins, bool includeStart, CancellationToken cancellationToken = default)
    {
        var windows = Windows(duration, joins);
        if (!includeStart && joins.Count > 0)
        {
            windows = windows.Where(w => joins.Any(j => j >= w.Start && j <= w.Start + w.Length)).ToList();
        }

        var last = new DecodeReport(true, 0, []);
        foreach (var chunk in windows.Chunk(WindowsPerProcess))
        {
            var arguments = new List<string> { "-hide_banner", "-nostdin", "-v", "error" };
            foreach (var (start, length) in chunk)
            {
                // No seek for the first window: seeking is what some demuxers (HLS of fMP4) do worst, and it is not needed there.
                arguments.AddRange(start > TimeSpan.Zero ? ["-ss", Seconds(start), "-t", Seconds(length)] : ["-t", Seconds(length)]);
                arguments.AddRange(["-i", "file:" + path]);
            }

            for (var input = 0; input < chunk.Length; input++)
            {
                arguments.AddRange(["-map", input.ToString(CultureInfo.InvariantCulture), .. NullOutput]);
            }

            last = await RunArgumentsAsync(arguments, cancellationToken);
            if (!last.IsClean)
            {
                return last;
            }
        }

        return last;
    }

    /// <summary>
    /// The start and every join, each with a margin either side; overlapping windows are merged. The end needs no window of
    /// its own: it is the last input's own frames, and the read of every packet has reached it.
    /// </summary>
    internal static IReadOnlyList<(TimeSpan Start, TimeSpan Length)> Windows(TimeSpan duration, IReadOnlyList<TimeSpan> joins)
    {
        var points = joins.Where(j => j > TimeSpan.Zero && j < duration).Prepend(TimeSpan.Zero).Order();
        var merged = new List<(TimeSpan Start, TimeSpan End)>();
        foreach (var point in points)
        {
            var start = point - Margin < TimeSpan.Zero ? TimeSpan.Zero : point - Margin;
            var end = point + Margin;
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, end);
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return merged.Select(w => (w.Start, w.End - w.Start)).ToList();
    }

    /// <summary>Decoded frames keep their own timestamps (see the class remarks) and go nowhere.</summary>
    private static readonly string[] NullOutput = ["-fps_mode", "passthrough", "-enc_time_base", "-1", "-f", "null", "-"];

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private async Task<DecodeReport> RunArgumentsAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var result = await runner.RunAllowingFailureAsync(
            arguments,
            line =>
            {
                lock (errors)
                {
                    errors.Add(line);
                }
            },
            cancellationToken);
        return new DecodeReport(result.ExitCode == 0 && errors.Count == 0 && !result.StoppedOnRequest, result.ExitCode, errors);
    }
}
