using System.Diagnostics;
using Recording.Media.Threading;

namespace Recording.Media.Ffmpeg;

/// <summary>Where the ffmpeg tools are; by default found on PATH.</summary>
public sealed record FfmpegOptions
{
    public string FfmpegPath { get; init; } = "ffmpeg";

    public string FfprobePath { get; init; } = "ffprobe";

    /// <summary>How long ffmpeg may take to finalise its output after it is asked to stop ('q') before it is killed.</summary>
    public TimeSpan GracefulStopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Runs ffmpeg with an argument list (never a concatenated command line, so no user text is ever parsed by a shell
/// or split by ffmpeg). Cancellation asks ffmpeg to stop with 'q' on stdin, which finalises the output file, and
/// kills it only if it does not exit within the grace period.
/// </summary>
public sealed class FfmpegRunner : IFfmpegRunner
{
    private const int StderrTailLines = 30;

    private readonly FfmpegOptions options;

    public FfmpegRunner(FfmpegOptions? options = null)
    {
        this.options = options ?? new FfmpegOptions();
    }

    public FfmpegOptions Options => options;

    /// <summary>Runs ffmpeg to completion; throws <see cref="FfmpegException"/> on a non-zero exit.</summary>
    /// <param name="onStderrLine">Sees every stderr line as it arrives (progress, warnings).</param>
    public async Task<FfmpegResult> RunAsync(IReadOnlyList<string> arguments, Action<string>? onStderrLine = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAllowingFailureAsync(arguments, onStderrLine, cancellationToken);
        if (result.ExitCode != 0 && !result.StoppedOnRequest)
        {
            throw new FfmpegException("ffmpeg failed", result.ExitCode, result.StderrTail);
        }

        return result;
    }

    /// <summary>Runs ffmpeg and returns its exit code and stderr tail whatever they are.</summary>
    public async Task<FfmpegResult> RunAllowingFailureAsync(IReadOnlyList<string> arguments, Action<string>? onStderrLine = null, CancellationToken cancellationToken = default, CancellationToken abortToken = default)
    {
        using var process = Start(options.FfmpegPath, arguments);
        using var abort = abortToken.Register(() => ProcessSignal.KillQuietly(process));
        var tail = new Queue<string>();
        // A blocking read on a thread of its own: one wake-up per line (see DedicatedThread).
        var stderr = DedicatedThread.Run("ffmpeg stderr", () =>
        {
            while (process.StandardError.ReadLine() is { } line)
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > StderrTailLines)
                    {
                        tail.Dequeue();
                    }
                }

                onStderrLine?.Invoke(line);
            }
        });

        var stoppedOnRequest = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            stoppedOnRequest = true;
            await StopGracefullyAsync(process);
        }

        await stderr;
        string stderrTail;
        lock (tail)
        {
            stderrTail = string.Join('\n', tail);
        }

        return new FfmpegResult(process.ExitCode, stderrTail, stoppedOnRequest);
    }

    /// <summary>Starts a tool with redirected streams; stdin stays open so that 'q' can be sent later.</summary>
    internal static Process Start(string fileName, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[MallocTunables.Variable] = MallocTunables.With(info.Environment.TryGetValue(MallocTunables.Variable, out var tunables) ? tunables : null);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        // ffmpeg writes media to stdout only when asked to; drain it so that a chatty tool never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        return process;
    }

    private async Task StopGracefullyAsync(Process process)
    {
        try
        {
            await process.StandardInput.WriteAsync('q');
            await process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            // ffmpeg already closed stdin: it is on its way out.
        }

        // 'q' is read between packets only: an ffmpeg blocked on a silent source (a TCP read that -rw_timeout does not
        // reach, as with RTMP) never sees it. SIGINT interrupts the blocking read, and ffmpeg still writes the trailer.
        var quitWait = TimeSpan.FromTicks(Math.Min(QuitBeforeInterrupt.Ticks, options.GracefulStopTimeout.Ticks));
        if (!await ExitsWithinAsync(process, quitWait))
        {
            ProcessSignal.Interrupt(process.Id);
            if (!await ExitsWithinAsync(process, options.GracefulStopTimeout - quitWait))
            {
                ProcessSignal.KillQuietly(process);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    private static readonly TimeSpan QuitBeforeInterrupt = TimeSpan.FromSeconds(1);

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return process.HasExited;
        }
    }
}

/// <summary>How an ffmpeg run ended.</summary>
/// <param name="StoppedOnRequest">True when the caller cancelled and ffmpeg was asked to stop (its exit code is then not an error).</param>
public sealed record FfmpegResult(int ExitCode, string StderrTail, bool StoppedOnRequest);
