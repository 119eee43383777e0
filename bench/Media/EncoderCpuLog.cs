using System.Globalization;
using System.Text.RegularExpressions;
using Recording.Media.Ffmpeg;

namespace Recording.Media.Bench;

/// <summary>
/// The CPU time of the x264 encodes a job runs: ffmpeg behind a bash script of that name which, when ffmpeg exits, logs
/// the CPU its children used (the builtin <c>times</c>, in the script's own shell, so no fork resets it) beside the
/// arguments. An encode's CPU over its wall time is how many cores it kept busy, which with the CPU ratio of two ways of
/// doing the work gives their speed ratio. The script costs each ffmpeg run a bash start (a few ms).
/// </summary>
internal sealed partial class EncoderCpuLog
{
    private readonly string folder;

    private EncoderCpuLog(string folder) => this.folder = folder;

    public FfmpegOptions Options => new() { FfmpegPath = Path.Combine(folder, "ffmpeg") };

    private string Log => Path.Combine(folder, "cpu.log");

    public static async Task<EncoderCpuLog> CreateAsync(string parent)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, "cpu-log")).FullName;
        var script = Path.Combine(folder, "ffmpeg");
        await File.WriteAllTextAsync(script, string.Join('\n',
            "#!/bin/bash",
            "ffmpeg \"$@\"",
            "status=$?",
            $"times > '{folder}/times.'$$",
            $"{{ read -r _; read -r user system; }} < '{folder}/times.'$$",
            $"rm -f '{folder}/times.'$$",
            $"printf '%s %s\\t%s\\n' \"$user\" \"$system\" \"$*\" >> '{folder}/cpu.log'",
            "exit $status",
            string.Empty));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new EncoderCpuLog(folder);
    }

    /// <summary>CPU seconds (user and system) of the x264 encodes logged since the last call; clears the log.</summary>
    public double TakeEncodeSeconds()
    {
        if (!File.Exists(Log))
        {
            return 0;
        }

        var seconds = File.ReadAllLines(Log)
            .Select(line => line.Split('\t', 2))
            .Where(parts => parts.Length == 2 && parts[1].Contains("libx264", StringComparison.Ordinal))
            .Sum(parts => parts[0].Split(' ').Sum(Seconds));
        File.Delete(Log);
        return seconds;
    }

    /// <summary>bash's <c>times</c> format: 1m2.345s.</summary>
    private static double Seconds(string text)
    {
        var match = TimesFormat().Match(text);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)
            : throw new FormatException($"not a bash times value: '{text}'");
    }

    [GeneratedRegex(@"^(\d+)m([\d.]+)s$")]
    private static partial Regex TimesFormat();
}
