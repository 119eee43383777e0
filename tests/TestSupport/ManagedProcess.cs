using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Recording.TestSupport;

/// <summary>
/// A child process owned by a test: output captured line by line, and the whole process tree killed on dispose
/// so that a failed test never leaves ffmpeg, nginx or a node server running.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly StringBuilder transcript = new();

    private ManagedProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Every line written to stdout or stderr so far.</summary>
    public IReadOnlyCollection<string> Lines => lines;

    public string Transcript
    {
        get
        {
            lock (transcript)
            {
                return transcript.ToString();
            }
        }
    }

    public static ManagedProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        Posix.UnignoreInterrupt();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    public Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan deadline, string what)
        => Eventually.WaitForAsync(
            () =>
            {
                if (process.HasExited && !lines.Any(predicate))
                {
                    throw new InvalidOperationException($"Process exited with {process.ExitCode} before {what}:\n{Tail()}");
                }

                return Task.FromResult(lines.FirstOrDefault(predicate));
            },
            deadline,
            what);

    /// <summary>The exit code; past <paramref name="deadline"/>, a failure that shows what the process wrote last.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"Process {process.Id} did not exit within {deadline.TotalSeconds:0} s:\n{Tail()}");
        }

        return process.ExitCode;
    }

    /// <summary>
    /// Ends this process when the test process that started it ends, however that happens. A server shared by a whole test
    /// run is stopped from a ProcessExit handler, which a test host ended by vstest does not always run: every run of
    /// Storage.Tests left an Azurite behind. A small shell watches both and ends the server once the test process is gone.
    /// </summary>
    public void EndWithTestProcess()
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            // Its pipes are ours and never written: it must not hold the test host's own output open after the host ends.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("""while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; if ! kill -0 "$1" 2>/dev/null; then kill "$2" 2>/dev/null; fi; exit 0""");
        info.ArgumentList.Add("end-with-test-process");
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var watchdog = Process.Start(info);
    }

    /// <summary>Sends a signal (SIGINT = 2, SIGTERM = 15, SIGKILL = 9) to the process itself.</summary>
    public void Signal(int signal) => Posix.Kill(process.Id, signal);

    public void KillTree()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public string Tail(int count = 40)
    {
        var all = lines.ToArray();
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - count)));
    }

    public async ValueTask DisposeAsync()
    {
        KillTree();
        try
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        lock (transcript)
        {
            transcript.AppendLine(line);
        }
    }
}
