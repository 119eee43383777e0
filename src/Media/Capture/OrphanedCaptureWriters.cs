using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Recording.Media.Ffmpeg;

namespace Recording.Media.Capture;

/// <summary>
/// The ffmpeg of a capture process that died without it (kill -9, the OOM killer) does not notice: it keeps pulling the
/// source and writing segments into the folder. A capture starting on that folder stops such writers first, with SIGINT
/// so that each closes its segment as at a stop (SIGKILL after the grace period); crash recovery then reads what they
/// wrote. Left running, two ffmpegs would write one folder and the new run's segment names would collide with the old's.
/// A writer is an ffmpeg whose arguments name this folder's segment pattern, which only a capture writes (media jobs
/// read segments by name). Found through /proc, so on Linux only, where the worker runs.
/// </summary>
internal static class OrphanedCaptureWriters
{
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(5);

    /// <summary>Stops every ffmpeg writing <paramref name="outputDirectory"/>'s segments and returns their process ids.</summary>
    public static async Task<IReadOnlyList<int>> StopAsync(string outputDirectory, SegmentNaming naming, FfmpegOptions ffmpeg, ILogger logger)
    {
        var writers = Find(outputDirectory, naming, Path.GetFileName(ffmpeg.FfmpegPath));
        foreach (var pid in writers)
        {
            logger.LogWarning("An ffmpeg (process {Pid}) of an earlier capture is still writing {Directory}; stopping it before this capture starts", pid, outputDirectory);
            ProcessSignal.Interrupt(pid);
        }

        foreach (var pid in writers)
        {
            if (!await ExitsWithinAsync(pid, ffmpeg.GracefulStopTimeout))
            {
                Kill(pid);
                await ExitsWithinAsync(pid, AfterKill);
            }
        }

        return writers;
    }

    internal static IReadOnlyList<int> Find(string outputDirectory, SegmentNaming naming, string program)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var pattern = Path.GetFullPath(Path.Combine(outputDirectory, naming.Pattern));
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (Path.GetFileName(arguments[0]) != program || !IsAlive(pid))
                {
                    continue;
                }

                // A relative output path is relative to that ffmpeg's own working folder.
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "/";
                if (arguments.Skip(1).Any(a => a.Contains("%0", StringComparison.Ordinal) && Path.GetFullPath(a, cwd) == pattern))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited while read, or not ours to read (and so not ours to stop).
            }
        }

        return found;
    }

    /// <summary>Running, as opposed to gone or a zombie (an orphan's reaper may be slow to collect it).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<bool> ExitsWithinAsync(int pid, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow >= until)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return true;
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }
}
