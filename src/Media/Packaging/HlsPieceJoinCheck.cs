using System.Globalization;
using System.Text.RegularExpressions;
using Recording.Media.Ffmpeg;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// Checks that a new HLS piece continues the one before it in the output folder: its first decode timestamp follows
/// the previous piece's last within one frame (no overlap a player would stall on, no hole), and the previous piece's
/// last file followed by the new piece's first file decodes without errors. With no earlier piece, its first file is
/// decoded alone. Either way the cost is two media segments, however many pieces came before.
/// </summary>
internal sealed partial class HlsPieceJoinCheck
{
    private readonly FfprobeReader reader;
    private readonly DecodeCheck decoder;

    public HlsPieceJoinCheck(FfmpegOptions? ffmpeg)
    {
        reader = new FfprobeReader(ffmpeg);
        decoder = new DecodeCheck(ffmpeg);
    }

    public async Task VerifyAsync(string output, int index, string firstFile, bool hasVideo, string scratch, CancellationToken cancellationToken)
    {
        var first = Path.Combine(output, firstFile);
        var previous = LastFileBefore(output, index);
        if (previous is null)
        {
            Require(first, await decoder.RunAsync(first, cancellationToken), "its first segment");
            return;
        }

        // Timestamps of the stream the timeline is anchored on (the keyframes'); audio may lead it by a fraction of a frame.
        var stream = hasVideo ? "v:0" : "a:0";
        var before = await reader.PacketTimingsAsync(previous, stream, cancellationToken);
        var after = await reader.PacketTimingsAsync(first, stream, cancellationToken);
        if (before.Count == 0 || after.Count == 0)
        {
            throw new OutputVerificationException(first, $"no {(hasVideo ? "video" : "audio")} packets at the join with {Path.GetFileName(previous)}");
        }

        var frame = FrameDuration(after);
        var last = before.MaxBy(p => p.Dts)!;
        var end = last.Dts + (last.Duration ?? frame);
        var step = after[0].Dts - end;
        if (Math.Abs(step) > frame + 0.001)
        {
            throw new OutputVerificationException(first, string.Create(CultureInfo.InvariantCulture,
                $"starts {step:0.###} s from where {Path.GetFileName(previous)} ends (more than a frame of {frame:0.###} s): a piece must start where the previous one ends (its Start + Duration)"));
        }

        var join = Path.Combine(scratch, "join.ts");
        await using (var joined = File.Create(join))
        {
            // MPEG-TS files can be appended as they are: each starts with its own PAT/PMT, as a player would fetch them.
            foreach (var part in new[] { previous, first })
            {
                await using var source = File.OpenRead(part);
                await source.CopyToAsync(joined, cancellationToken);
            }
        }

        Require(first, await decoder.RunAsync(join, cancellationToken), $"the join with {Path.GetFileName(previous)}");
    }

    /// <summary>The last TS file of the highest-numbered piece below <paramref name="index"/> in the folder, if any.</summary>
    internal static string? LastFileBefore(string output, int index)
    {
        string? best = null;
        (int Piece, int Number) bestKey = (-1, -1);
        foreach (var path in Directory.EnumerateFiles(output, "s*_*.ts"))
        {
            var match = PieceFile().Match(Path.GetFileName(path));
            if (!match.Success)
            {
                continue;
            }

            var key = (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            if (key.Item1 < index && key.CompareTo(bestKey) > 0)
            {
                (best, bestKey) = (path, key);
            }
        }

        return best;
    }

    private static double FrameDuration(IReadOnlyList<PacketTiming> packets)
    {
        var durations = packets.Select(p => p.Duration).OfType<double>().Where(d => d > 0).Order().ToList();
        if (durations.Count > 0)
        {
            return durations[durations.Count / 2];
        }

        var steps = packets.Zip(packets.Skip(1), (a, b) => b.Dts - a.Dts).Where(d => d > 0).Order().ToList();
        return steps.Count > 0 ? steps[steps.Count / 2] : 0.1;
    }

    private static void Require(string path, Probing.DecodeReport report, string what)
    {
        if (!report.IsClean)
        {
            throw new OutputVerificationException(path, $"{what} does not decode cleanly: " + string.Join(" | ", report.Errors.Take(5)));
        }
    }

    [GeneratedRegex(@"^s(\d{5,})_(\d{5,})\.ts$", RegexOptions.CultureInvariant)]
    private static partial Regex PieceFile();
}
