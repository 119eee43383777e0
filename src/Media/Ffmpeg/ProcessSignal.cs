using System.Runtime.InteropServices;

namespace Recording.Media.Ffmpeg;

/// <summary>
/// Sends SIGINT to a process (a child, or an orphaned capture's ffmpeg), which .NET's Process cannot do (it only kills);
/// ffmpeg treats it as a graceful stop. And kills one, where a process that has already exited is not an error.
/// </summary>
internal static partial class ProcessSignal
{
    private const int SigInt = 2;

    /// <summary>Best effort: a process that has already exited is not an error.</summary>
    public static void Interrupt(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        _ = NativeKill(pid, SigInt);
    }

    public static void KillQuietly(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int sig);
}
