namespace Recording.Worker.Tests.MediaJobs;

/// <summary>Tells the worker's ffmpeg children apart in the process table (by /proc/PID/comm), to wait for one or check it ended.</summary>
internal static class FfmpegProcess
{
    public static bool Is(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "ffmpeg";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
