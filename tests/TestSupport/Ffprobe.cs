using Xunit;

namespace Recording.TestSupport;

/// <summary>Runs ffprobe for a test's own, independent reading of a media file (not through the product's MediaProbe).</summary>
public static class Ffprobe
{
    /// <summary>ffprobe's trimmed stdout; fails the test with its stderr when it exits non-zero.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, output, errors) = await ProcessOutput.RunAsync("ffprobe", arguments);
        Assert.True(exitCode == 0, $"ffprobe {string.Join(' ', arguments)} exited with {exitCode}: {errors}");
        return output.Trim();
    }
}
