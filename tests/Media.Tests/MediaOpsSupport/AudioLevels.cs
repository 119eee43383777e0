using System.Globalization;
using Recording.Media.Ffmpeg;

namespace Recording.Media.Tests.MediaOpsSupport;

/// <summary>How loud a second of a file's audio is, measured by a real ffmpeg (volumedetect).</summary>
internal static class AudioLevels
{
    /// <summary>Mean level (dBFS) of one second from <paramref name="at"/>.</summary>
    public static Task<double> MeanAsync(string path, double at) => MeasureAsync(path, at, "volumedetect");

    /// <summary>Mean level (dBFS) of one second from <paramref name="at"/> after two narrow band-pass filters around <paramref name="frequency"/>.</summary>
    public static Task<double> ToneAsync(string path, double at, int frequency)
    {
        var band = $"bandpass=f={frequency}:width_type=h:w=40";
        return MeasureAsync(path, at, $"{band},{band},volumedetect");
    }

    private static async Task<double> MeasureAsync(string path, double at, string filter)
    {
        var mean = double.NaN;
        await new FfmpegRunner().RunAsync(
            ["-hide_banner", "-nostdin", "-ss", at.ToString(CultureInfo.InvariantCulture), "-t", "1", "-i", path, "-vn", "-af", filter, "-f", "null", "-"],
            line =>
            {
                var marker = line.IndexOf("mean_volume:", StringComparison.Ordinal);
                if (marker >= 0)
                {
                    mean = double.Parse(line[(marker + 12)..].Replace("dB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
            });
        Assert.False(double.IsNaN(mean), "volumedetect reported no mean_volume");
        return mean;
    }
}
