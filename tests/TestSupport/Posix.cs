using System.Runtime.InteropServices;

namespace Recording.TestSupport;

/// <summary>Signals for processes, which .NET's Process class cannot send (it only kills).</summary>
public static partial class Posix
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;
    public const int SigCont = 18;

    public static void Kill(int pid, int signal)
    {
        if (NativeKill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>
    /// Gives SIGINT back its default action in this process, and so in the processes it starts, when it came in ignored. A
    /// shell ignores SIGINT for what it starts in the background (`nohup ... &`, `&` in a script), every descendant inherits
    /// that, and .NET keeps an inherited ignore: a worker started by such a test run would never see the SIGINT that a
    /// test sends it as a user's Ctrl-C, and would record on. A terminal's Ctrl-C then ends this test process too.
    /// </summary>
    public static void UnignoreInterrupt()
    {
        var current = new byte[256]; // struct sigaction; its first field is the handler
        if (NativeSigaction(SigInt, IntPtr.Zero, current) == 0 && BitConverter.ToInt64(current, 0) == SigIgn)
        {
            _ = NativeSignal(SigInt, IntPtr.Zero);
        }
    }

    private const long SigIgn = 1;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int sig);

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int NativeSigaction(int sig, IntPtr action, [Out] byte[] previous);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial IntPtr NativeSignal(int sig, IntPtr handler);
}
