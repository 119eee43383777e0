using System.Globalization;
using Xunit;

namespace Recording.TestSupport;

/// <summary>One decoded video frame as rgb24, read by a real ffmpeg (not the product's code), to check which picture is where.</summary>
public sealed class RgbFrame
{
    private readonly byte[] pixels;

    private RgbFrame(byte[] pixels, int width, int height)
    {
        this.pixels = pixels;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The frame shown at <paramref name="at"/> in <paramref name="path"/>; fails the test unless ffmpeg decodes one frame of exactly <paramref name="width"/>x<paramref name="height"/>.</summary>
    public static async Task<RgbFrame> ExtractAsync(string path, TimeSpan at, int width, int height)
    {
        var raw = Path.Combine(Path.GetTempPath(), $"frame-{Guid.NewGuid():N}.rgb");
        try
        {
            var seconds = at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            var (exitCode, _, errors) = await ProcessOutput.RunAsync(
                "ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", "-ss", seconds, "-i", "file:" + path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "file:" + raw]);
            Assert.True(exitCode == 0, $"ffmpeg could not extract a frame at {seconds} s of {path} (exit {exitCode}): {errors}");
            var bytes = await File.ReadAllBytesAsync(raw);
            Assert.True(bytes.Length == width * height * 3, $"the frame at {seconds} s of {path} has {bytes.Length} bytes, not {width}x{height} rgb24");
            return new RgbFrame(bytes, width, height);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return (pixels[i], pixels[i + 1], pixels[i + 2]);
    }
}
