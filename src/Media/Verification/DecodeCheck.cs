using Recording.Media.Ffmpeg;
using Recording.Media.Probing;

namespace Recording.Media.Verification;

/// <summary>
/// Decodes every stream of a file to nowhere and collects what ffmpeg reports. Frames keep their own timestamps in the
/// file's own time base (-fps_mode passthrough, -enc_time_base -1): a stream-copied cut or splice is variable frame rate
/// at its joins, and rounding it to the null muxer's guessed frame rate (e.g. 299/12) puts two frames in one slot, which
/// ffmpeg reports as "non monotonically increasing dts" although every frame decodes.
/// </summary>
public sealed class DecodeCheck
{
    private readonly FfmpegRunner runner;

    public DecodeCheck(FfmpegOptions? options = null)
    {
        runner = new FfmpegRunner(options);
    }

    public async Task<DecodeReport> RunAsync(string path, CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        var result = await runner.RunAllowingFailureAsync(
            ["-hide_banner", "-nostdin", "-v", "error", "-i", "file:" + path, "-fps_mode", "passthrough", "-enc_time_base", "-1", "-f", "null", "-"],
            line =>
            {
                lock (errors)
                {
                    errors.Add(line);
                }
            },
            cancellationToken);
        return new DecodeReport(result.ExitCode == 0 && errors.Count == 0 && !result.StoppedOnRequest, result.ExitCode, errors);
    }
}
