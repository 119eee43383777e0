using Recording.Media.Ffmpeg;
using Recording.Media.Verification;

namespace Recording.Media.Tests.Probing;

/// <summary>The decode gate for stream copies: every packet read, decoded around the joins only.</summary>
public sealed class DecodeCheckTests
{
    [Fact]
    public void Windows_CoverStartAndJoins_MergingThoseThatOverlap()
    {
        var windows = DecodeCheck.Windows(TimeSpan.FromSeconds(40), [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.5), TimeSpan.FromSeconds(30)]);

        Assert.Equal(
            [(0.0, 1.0), (9.0, 2.5), (29.0, 2.0)],
            windows.Select(w => (w.Start.TotalSeconds, w.Length.TotalSeconds)).ToList());
    }

    [Fact]
    public async Task RunAround_CleanFile_IsClean()
    {
        var path = await ClipAsync("clean.ts");

        var report = await new DecodeCheck().RunAroundAsync(path, TimeSpan.FromSeconds(6), [TimeSpan.FromSeconds(3)]);

        Assert.True(report.IsClean, string.Join('\n', report.Errors));
    }

    [Fact]
    public async Task RunAround_DamageAtAJoin_IsNotClean()
    {
        var path = await ClipAsync("damaged.ts");
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = bytes.Length * 45 / 100; i < bytes.Length * 55 / 100; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(path, bytes);

        var report = await new DecodeCheck().RunAroundAsync(path, TimeSpan.FromSeconds(6), [TimeSpan.FromSeconds(3)]);

        Assert.False(report.IsClean);
    }

    [Fact]
    public async Task RunAround_TruncatedFile_FailsTheReadOfEveryPacket()
    {
        var path = await ClipAsync("truncated.mp4");
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length * 6 / 10)]);

        var report = await new DecodeCheck().RunAroundAsync(path, TimeSpan.FromSeconds(6), []);

        Assert.False(report.IsClean);
    }

    /// <summary>6 s of 320x240 H.264 with a 1 s GOP (faststart for MP4, so truncation cuts media, not the index).</summary>
    private static async Task<string> ClipAsync(string name)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("decode-").FullName, name);
        await new FfmpegRunner().RunAsync([
            "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-movflags", "+faststart", path,
        ]);
        return path;
    }
}
