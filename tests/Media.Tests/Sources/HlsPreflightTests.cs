using Recording.Media.Capture;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Sources;
using Recording.TestSupport;

namespace Recording.Media.Tests.Sources;

/// <summary>An HLS playlist is checked before ffmpeg runs, and ffmpeg's whitelist stops a file: segment even without the check.</summary>
public sealed class HlsPreflightTests
{
    private const string FileSegments = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n";
    private const string KeyFromFile = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"file:///etc/hostname\"\n#EXTINF:2.0,\nseg0.ts\n";
    private const string Good = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg0.ts\n#EXTINF:2.0,\nhttp://127.0.0.1/seg1.ts\n";
    private const string Master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\nevil.m3u8\n";

    [Theory]
    [InlineData("evil.m3u8", "hls-uri-not-allowed")]
    [InlineData("key.m3u8", "hls-uri-not-allowed")]
    [InlineData("master.m3u8", "hls-uri-not-allowed")]
    [InlineData("notes.txt", "not-an-hls-playlist")]
    [InlineData("missing.m3u8", "hls-playlist-unavailable")]
    public async Task ValidateAsync_PlaylistWithNonHttpUri_IsRefusedBeforeFfmpegStarts(string name, string rule)
    {
        await using var server = Serve();
        var counting = new CountingFfmpegRunner();
        var output = Directory.CreateTempSubdirectory("preflight-").FullName;

        var ex = await Assert.ThrowsAsync<SourceRejectedException>(async () =>
        {
            var source = await new SourcePolicy(new SourcePolicyOptions { AllowPrivateNetworks = true }).ValidateAsync(server.UrlFor(name));
            using var session = new CaptureSession(source, new CaptureOptions { RecordingId = "r", OutputDirectory = output, SegmentLength = TimeSpan.FromSeconds(2), AllowShortSegments = true }, counting);
            await session.RunAsync();
        });

        Assert.Equal(rule, ex.Rule);
        Assert.Equal(0, counting.Starts);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task ValidateAsync_PlaylistOfHttpSegments_IsAccepted()
    {
        await using var server = Serve();
        var source = await new SourcePolicy(new SourcePolicyOptions { AllowPrivateNetworks = true }).ValidateAsync(server.UrlFor("good.m3u8"));
        Assert.True(source.IsHls);
        Assert.Equal("http,tcp,crypto", source.ProtocolWhitelist);
    }

    [Fact]
    public async Task Ffmpeg_WithTheSourceWhitelist_RefusesAFileSegmentItself()
    {
        // The pre-flight is skipped here on purpose (ParseAndCheckScheme only): the whitelist alone must stop ffmpeg.
        // A real local file with a segment extension, so that only the whitelist (not ffmpeg's extension check) can stop it.
        var local = Path.Combine(Directory.CreateTempSubdirectory("secret-").FullName, "secret.ts");
        await File.WriteAllBytesAsync(local, new byte[188 * 10]);
        await using var server = new PlaylistHttpServer(new Dictionary<string, string>
        {
            ["local.m3u8"] = $"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile://{local}\n#EXT-X-ENDLIST\n",
        });
        var source = SourcePolicy.ParseAndCheckScheme(server.UrlFor("local.m3u8"));
        var output = Directory.CreateTempSubdirectory("whitelist-").FullName;
        var options = new CaptureOptions { RecordingId = "r", OutputDirectory = output, Format = SegmentFormat.Ts, SegmentLength = TimeSpan.FromSeconds(2), AllowShortSegments = true };

        var result = await new FfmpegRunner().RunAllowingFailureAsync(CaptureArguments.Build(source, options, 0, 0));

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.StderrTail.Contains("not on whitelist", StringComparison.Ordinal), result.StderrTail);
        Assert.DoesNotContain(Directory.EnumerateFiles(output), f => new FileInfo(f).Length > 0);
    }

    private static PlaylistHttpServer Serve() => new(new Dictionary<string, string>
    {
        ["evil.m3u8"] = FileSegments,
        ["key.m3u8"] = KeyFromFile,
        ["good.m3u8"] = Good,
        ["master.m3u8"] = Master,
        ["notes.txt"] = "hello",
    });
}
