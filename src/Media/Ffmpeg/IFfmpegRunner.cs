namespace Recording.Media.Ffmpeg;

/// <summary>Runs one ffmpeg process; the seam through which a capture starts ffmpeg, so tests can count or fault-inject around the real runner.</summary>
public interface IFfmpegRunner
{
    Task<FfmpegResult> RunAllowingFailureAsync(IReadOnlyList<string> arguments, Action<string>? onStderrLine = null, CancellationToken cancellationToken = default);
}
