namespace Recording.Media.Ffmpeg;

/// <summary>Runs one ffmpeg process; the seam through which a capture starts ffmpeg, so tests can count or fault-inject around the real runner.</summary>
public interface IFfmpegRunner
{
    /// <param name="cancellationToken">Asks ffmpeg to finish (it writes its trailer).</param>
    /// <param name="abortToken">Kills ffmpeg at once: what it has not written yet is dropped.</param>
    Task<FfmpegResult> RunAllowingFailureAsync(IReadOnlyList<string> arguments, Action<string>? onStderrLine = null, CancellationToken cancellationToken = default, CancellationToken abortToken = default);
}
