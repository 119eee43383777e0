using System.Diagnostics;
using Xunit;

namespace Recording.TestSupport;

/// <summary>Runs ffprobe for a test's own, independent reading of a media file (not through the product's MediaProbe).</summary>
public static class Ffprobe
{
    /// <summary>ffprobe's trimmed stdout; fails the test with its stderr when it exits non-zero.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffprobe {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}");
        return (await output).Trim();
    }
}
