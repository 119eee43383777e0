using Recording.TestSupport;

namespace Recording.Worker.Tests.Capture;

/// <summary>
/// Hostile sources are refused before ffmpeg starts. The worker is given (through RECORDING_FFMPEG_PATH) a wrapper that
/// leaves a marker file and then runs the real ffmpeg, so the absence of the marker proves that no ffmpeg process started.
/// </summary>
public sealed class HostileSourceTests : IAsyncLifetime, IAsyncDisposable
{
    private PlaylistHttpServer server = null!;
    private string wrapper = null!;
    private string marker = null!;

    public async Task InitializeAsync()
    {
        var local = Path.Combine(Directory.CreateTempSubdirectory("secret-").FullName, "secret.ts");
        await File.WriteAllBytesAsync(local, new byte[1880]);
        server = new PlaylistHttpServer(new Dictionary<string, string>
        {
            ["evil.m3u8"] = $"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile://{local}\n",
        });
        var folder = Directory.CreateTempSubdirectory("ffmpeg-wrapper-").FullName;
        marker = Path.Combine(folder, "ffmpeg-started");
        wrapper = await ExecutableScript.WriteAsync(Path.Combine(folder, "ffmpeg"), $"#!/bin/sh\ntouch '{marker}'\nexec ffmpeg \"$@\"\n");
    }

    Task IAsyncLifetime.DisposeAsync() => server.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => server.DisposeAsync();

    [Theory]
    [InlineData("file:///etc/passwd", "scheme-not-allowed", true)]
    [InlineData("concat:/etc/passwd|/etc/hosts", "scheme-not-allowed", true)]
    [InlineData("subfile:,start,0,end,100,:/etc/passwd", "scheme-not-allowed", true)]
    [InlineData("data:text/plain;base64,aGVsbG8=", "scheme-not-allowed", true)]
    [InlineData("EVIL_PLAYLIST", "hls-uri-not-allowed", true)]
    [InlineData("not a url at all", "not-a-url", true)]
    [InlineData("gopher://example.com/1", "scheme-not-allowed", true)]
    [InlineData("rtmp://127.0.0.1:1935/live/x", "private-address", false)]
    public async Task Capture_HostileSource_IsRefusedBeforeFfmpegStarts(string source, string rule, bool allowPrivate)
    {
        var output = Directory.CreateTempSubdirectory("worker-hostile-").FullName;
        var url = source == "EVIL_PLAYLIST" ? server.UrlFor("evil.m3u8") : source;
        List<string> args = ["capture", "--source", url, "--output", output];
        if (allowPrivate)
        {
            args.Add("--allow-private-networks");
        }

        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(args, TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["RECORDING_FFMPEG_PATH"] = wrapper });

        Assert.Equal(2, exitCode);
        Assert.Contains($"--source ({rule})", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.False(File.Exists(marker), "ffmpeg was started");
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task Capture_AcceptedSource_DoesStartFfmpegThroughTheWrapper()
    {
        // The control for the test above: the marker does appear when a source passes the policy.
        var output = Directory.CreateTempSubdirectory("worker-control-").FullName;
        var (exitCode, stdout, _) = await WorkerProcess.RunAsync(
            ["capture", "--source", $"rtmp://127.0.0.1:{FreePort.Next()}/live/x", "--output", output, "--allow-private-networks", "--resume-window", "0s"],
            TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["RECORDING_FFMPEG_PATH"] = wrapper });

        Assert.Equal(3, exitCode);
        Assert.True(File.Exists(marker));
        Assert.Contains(WorkerProcess.Events(stdout), e => e.GetProperty("type").GetString() == "exited" && e.GetProperty("reason").GetString() == "source-lost");
    }
}
