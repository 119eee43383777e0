using System.Runtime.InteropServices;

namespace Recording.Media.Ffmpeg;

/// <summary>Sends SIGINT to a child process, which .NET's Process cannot do (it only kills); ffmpeg treats it as a graceful stop.</summary>
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int sig);
}
