using Recording.TestSupport;

namespace Recording.Worker.Tests.Capture;

/// <summary>
/// --events-file: every stdout event line is appended to the file as well, and a capture restarted on the same folder
/// keeps appending, so that a parent restarted meanwhile can re-attach by reading the file.
/// </summary>
public sealed class EventsFileTests
{
    [Fact]
    public async Task Capture_WithEventsFile_AppendsTheStdoutLinesAndKeepsThemAcrossARestart()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        var url = server.UrlFor("events");
        await using var source = SyntheticSource.Start(url);
        var output = Directory.CreateTempSubdirectory("worker-events-").FullName;
        var eventsFile = Path.Combine(output, "events.jsonl");
        string[] args = [
            "capture", "--source", url, "--output", output, "--segment", "2s", "--allow-short-segments", "--allow-private-networks",
            "--min-free-disk", "0", "--max-duration", "5s", "--events-file", eventsFile,
        ];

        var first = await WorkerProcess.RunAsync(args, TimeSpan.FromSeconds(90));
        Assert.True(first.ExitCode == 0, first.Stderr);
        var afterFirst = await File.ReadAllLinesAsync(eventsFile);
        Assert.Equal(first.Stdout, afterFirst);
        Assert.Contains(afterFirst, l => l.Contains("\"segment-ready\"", StringComparison.Ordinal));

        // A crash mid-write leaves a line without its newline: the restart must end it, not glue its first event onto it.
        await File.AppendAllTextAsync(eventsFile, "{\"type\":\"segment-re");
        var second = await WorkerProcess.RunAsync(args, TimeSpan.FromSeconds(90));
        Assert.True(second.ExitCode == 0, second.Stderr);

        var all = await File.ReadAllLinesAsync(eventsFile);
        Assert.Equal([.. first.Stdout, "{\"type\":\"segment-re", .. second.Stdout], all);
        var events = WorkerProcess.Events(all.Where(l => l != "{\"type\":\"segment-re"));
        Assert.Equal(2, events.Count(e => e.GetProperty("type").GetString() == "exited"));
        Assert.Equal("exited", events[^1].GetProperty("type").GetString());
        // Same recording (its id comes from the manifest on the restart), and indexes continue rather than restart.
        Assert.Single(events.Select(e => e.GetProperty("recordingId").GetString()).Distinct());
        var indexes = events.Where(e => e.GetProperty("type").GetString() == "segment-ready").Select(e => e.GetProperty("segment").GetProperty("index").GetInt32()).ToList();
        Assert.Equal(indexes.Distinct().Order(), indexes);
    }

    [Fact]
    public async Task Capture_EventsFileInAMissingFolder_ExitsWithTwoNamingTheOption()
    {
        var output = Directory.CreateTempSubdirectory("worker-events-bad-").FullName;
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(
            ["capture", "--source", "rtmp://127.0.0.1:1/live/x", "--output", output, "--allow-private-networks", "--events-file", Path.Combine(output, "no", "such", "events.jsonl")],
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("--events-file (writable-file)", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }
}
