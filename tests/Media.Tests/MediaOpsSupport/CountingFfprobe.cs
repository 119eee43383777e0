using System.Globalization;
using Recording.Media.Ffmpeg;
using Recording.TestSupport;

namespace Recording.Media.Tests.MediaOpsSupport;

/// <summary>
/// The real ffprobe behind a script of that name that logs, as each run starts, how many runs are going on and which file
/// it was asked about; it holds a moment first, so that runs started together overlap.
/// </summary>
internal sealed class CountingFfprobe
{
    private readonly string folder;

    private CountingFfprobe(string folder) => this.folder = folder;

    public FfmpegOptions Options => new() { FfprobePath = Path.Combine(folder, "ffprobe") };

    private string Log => Path.Combine(folder, "runs.log");

    public static async Task<CountingFfprobe> CreateAsync()
    {
        var folder = TestMedia.NewFolder("counting-ffprobe-");
        await ExecutableScript.WriteAsync(Path.Combine(folder, "ffprobe"), string.Join('\n',
            "#!/bin/bash",
            $"marks='{folder}/running'",
            "mkdir -p \"$marks\" && touch \"$marks/$$\"",
            $"printf '%s\\t%s\\n' \"$(ls \"$marks\" | wc -l)\" \"${{@: -1}}\" >> '{folder}/runs.log'",
            "sleep 0.2",
            "ffprobe \"$@\"",
            "status=$?",
            "rm -f \"$marks/$$\"",
            "exit $status",
            string.Empty));
        return new CountingFfprobe(folder);
    }

    /// <summary>For each run, how many were running as it started (itself included).</summary>
    public List<int> RunningAtEachStart() => [.. Runs().Select(r => r.Running)];

    /// <summary>The name of the file each run was asked about.</summary>
    public List<string> ProbedFiles() => [.. Runs().Select(r => Path.GetFileName(r.Path))];

    private IEnumerable<(int Running, string Path)> Runs()
        => File.Exists(Log)
            ? File.ReadAllLines(Log).Where(l => l.Length > 0).Select(l => l.Split('\t', 2)).Select(p => (int.Parse(p[0].Trim(), CultureInfo.InvariantCulture), p[1]))
            : [];
}
