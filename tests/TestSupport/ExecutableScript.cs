namespace Recording.TestSupport;

/// <summary>Wrapper scripts that tests put in front of a real program (ffmpeg, ffprobe) to observe it or inject a fault.</summary>
public static class ExecutableScript
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> and makes it executable by its owner.</summary>
    public static async Task<string> WriteAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
