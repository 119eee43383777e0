namespace Recording.Media.Ffmpeg;

/// <summary>ffmpeg or ffprobe exited with an error; carries the exit code and the tail of stderr, which is where ffmpeg says why.</summary>
public sealed class FfmpegException : Exception
{
    public FfmpegException(string message, int exitCode, string stderrTail)
        : base($"{message} (exit code {exitCode}): {stderrTail}")
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public int ExitCode { get; }

    public string StderrTail { get; }
}
