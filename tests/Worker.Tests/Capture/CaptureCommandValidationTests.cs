namespace Recording.Worker.Tests.Capture;

/// <summary>Bad input ends the worker at once with exit code 2 and a message naming the option and the rule; stdout stays empty.</summary>
public sealed class CaptureCommandValidationTests
{
    [Theory]
    [InlineData("--segment", "30s", "--segment (segment-length-range)")]
    [InlineData("--segment", "10x", "--segment (duration-format)")]
    [InlineData("--segment", "121m", "--segment (segment-length-range)")]
    [InlineData("--format", "avi", "--format (one-of)")]
    [InlineData("--resume-window", "1801s", "--resume-window (resume-window-range)")]
    [InlineData("--id", "../escape", "--id (recording-id-format)")]
    [InlineData("--max-duration", "0s", "--max-duration (positive)")]
    [InlineData("--min-free-disk", "lots", "--min-free-disk (size-format)")]
    public async Task Capture_BadOption_ExitsWithTwoNamingOptionAndRule(string option, string value, string expected)
    {
        var output = Directory.CreateTempSubdirectory("worker-bad-").FullName;
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(
            ["capture", "--source", "rtmp://127.0.0.1:1/live/x", "--output", output, "--allow-private-networks", option, value],
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task Capture_WithoutSource_FailsNamingTheOption()
    {
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(["capture", "--output", "/tmp/x"], TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--source", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }
}
