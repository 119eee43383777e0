using System.Globalization;

namespace Recording.TestSupport;

/// <summary>The machine's processes as /proc lists them, for finding what a process under test started (a worker's ffmpeg).</summary>
public static class ProcessTable
{
    /// <summary>The direct children of a process.</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid) => [.. Where(dir =>
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        // The fields after the command name, which may itself hold spaces and parentheses: state, then ppid.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture) == pid;
    })];

    /// <summary>The ffmpeg processes on this machine whose command line holds <paramref name="path"/> (an input or output of theirs).</summary>
    public static IReadOnlyList<int> FfmpegsWorkingIn(string path) => ProgramsWorkingIn("ffmpeg", path);

    /// <summary>The processes of <paramref name="program"/> (ffmpeg, ffprobe) whose command line holds <paramref name="path"/>.</summary>
    public static IReadOnlyList<int> ProgramsWorkingIn(string program, string path) => [.. Where(dir =>
    {
        var arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
        return Path.GetFileName(arguments[0]) == program && arguments.Any(a => a.Contains(path, StringComparison.Ordinal));
    })];

    /// <summary>Whether a process runs, as opposed to gone or a zombie (an orphan's reaper may be slow to collect it).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The processes whose /proc folder matches; one that exits while it is read (or is not ours to read) does not.</summary>
    private static IEnumerable<int> Where(Func<string, bool> matches)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            bool found;
            try
            {
                found = matches(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                found = false;
            }

            if (found)
            {
                yield return pid;
            }
        }
    }
}
