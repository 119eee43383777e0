using Recording.Media.Ffmpeg;

namespace Recording.Media.Tests;

/// <summary>Wraps the real runner and counts the ffmpeg processes it starts: the proof that a refused source started none.</summary>
public sealed class CountingFfmpegRunner(IFfmpegRunner? inner = null) : IFfmpegRunner
{
    private readonly IFfmpegRunner inner = inner ?? new FfmpegRunner();
    private int starts;

    public int Starts => Volatile.Read(ref starts);

    public Task<FfmpegResult> RunAllowingFailureAsync(IReadOnlyList<string> arguments, Action<string>? onStderrLine = null, CancellationToken cancellationToken = default, CancellationToken abortToken = default)
    {
        Interlocked.Increment(ref starts);
        return inner.RunAllowingFailureAsync(arguments, onStderrLine, cancellationToken, abortToken);
    }
}
