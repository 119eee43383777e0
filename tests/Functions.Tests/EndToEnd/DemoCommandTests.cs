using System.Globalization;
using Recording.TestSupport;
using Xunit.Abstractions;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// The README's first command as a user types it: <c>./run.sh demo</c> records a synthetic live stream end to end on the
/// embedded defaults, prints what it made, and returns with nothing left running.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class DemoCommandTests(ITestOutputHelper output)
{
    /// <summary>run.sh's setting for the demo's folder (its default is .recording/demo in the repository).</summary>
    private const string DemoFolderVariable = "RECORDING_DEMO_DIR";

    [Fact]
    public async Task RunShDemo_RecordsAndPostProcesses_PrintsItsAssets_AndReturnsWithNothingLeftRunning()
    {
        var work = Directory.CreateTempSubdirectory("run-sh-demo-").FullName;

        // Its stdout is a pipe that every server it starts inherits, and its `wait` waits for them: a server left running
        // holds the command (or its output) open, and the read ends only at the deadline.
        int exitCode;
        string stdout, stderr;
        try
        {
            (exitCode, stdout, stderr) = await ProcessOutput.RunAsync(
                "env", [$"{DemoFolderVariable}={work}", Path.Combine(RepositoryPaths.Root, "run.sh"), "demo"], RepositoryPaths.Root, TimeSpan.FromMinutes(6));
        }
        catch (OperationCanceledException)
        {
            var left = DemoProcesses(work);
            foreach (var (pid, _) in left)
            {
                Posix.Kill(pid, Posix.SigKill);
            }

            throw new Xunit.Sdk.XunitException($"./run.sh demo did not return within 6 minutes; still running:\n{string.Join('\n', left.Select(p => p.CommandLine))}");
        }

        output.WriteLine(stdout + "\n" + stderr);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        Assert.Contains("[demo] Completed", stdout, StringComparison.Ordinal);
        foreach (var kind in new[] { "spliced", "hls", "renditions/240p" })
        {
            Assert.Contains($"[demo] asset {kind}: ", stdout, StringComparison.Ordinal);
        }

        // The assets are in the demo's local destination, and the rung (made by a media worker job) is 240 lines high.
        var rung = Directory.EnumerateFiles(work, "240p.mp4", SearchOption.AllDirectories).Single(f => f.Contains("assets", StringComparison.Ordinal));
        var height = (await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-show_entries", "stream=height", "-of", "csv=p=0", rung)).Trim();
        Assert.Equal(240, int.Parse(height, CultureInfo.InvariantCulture));
        Assert.Empty(DemoProcesses(work).Select(p => p.CommandLine));
    }

    /// <summary>Live processes that the demo started: each inherits its environment, so each names its folder there.</summary>
    private static List<(int Pid, string CommandLine)> DemoProcesses(string folder)
    {
        var marker = $"{DemoFolderVariable}={folder}";
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(marker))
                {
                    found.Add((pid, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited while we were reading, or another user's process: not the demo's.
            }
        }

        return found;
    }
}
