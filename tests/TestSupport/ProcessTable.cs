using System.Globalization;

namespace Recording.TestSupport;

/// <summary>The machine's processes as /proc lists them, for finding what a process under test started (a worker's ffmpeg).</summary>
public static class ProcessTable
{
    /// <summary>The direct children of a process.</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // The fields after the command name, which may itself hold spaces and parentheses: state, then ppid.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    children.Add(candidate);
                }
            }
            catch (IOException)
            {
                // Exited while we were reading.
            }
        }

        return children;
    }

    /// <summary>The ffmpeg processes on this machine whose command line holds <paramref name="path"/> (an input or output of theirs).</summary>
    public static IReadOnlyList<int> FfmpegsWorkingIn(string path)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (Path.GetFileName(arguments[0]) == "ffmpeg" && arguments.Any(a => a.Contains(path, StringComparison.Ordinal)))
                {
                    found.Add(candidate);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited while we were reading, or not ours to read.
            }
        }

        return found;
    }
}
