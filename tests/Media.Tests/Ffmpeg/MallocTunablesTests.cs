using Recording.Media.Ffmpeg;

namespace Recording.Media.Tests.Ffmpeg;

public sealed class MallocTunablesTests
{
    [Fact]
    public async Task Runner_StartsTheToolWithTheHugePageTunable()
    {
        // A shell in ffmpeg's place prints the environment it was started with.
        var runner = new FfmpegRunner(new FfmpegOptions { FfmpegPath = "sh" });

        var result = await runner.RunAsync(["-c", "printf '%s\\n' \"$GLIBC_TUNABLES\" >&2"]);

        var expected = MallocTunables.With(Environment.GetEnvironmentVariable(MallocTunables.Variable));
        Assert.Equal(expected, result.StderrTail);
        Assert.Contains("glibc.malloc.hugetlb=", result.StderrTail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "glibc.malloc.hugetlb=1")]
    [InlineData("", "glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.arena_max=2", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=0")]
    public void With_KeepsTheCallersTunablesAndTheirChoice(string? existing, string expected)
        => Assert.Equal(expected, MallocTunables.With(existing));
}
