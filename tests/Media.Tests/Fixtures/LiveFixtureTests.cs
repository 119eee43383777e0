using Recording.TestSupport;

namespace Recording.Media.Tests.Fixtures;

/// <summary>Proves the shared fixtures work on this machine: a real nginx-rtmp relays a real ffmpeg source.</summary>
public sealed class LiveFixtureTests
{
    [Fact]
    public async Task SyntheticSourcePublishedToNginxRtmp_CanBeProbedWithH264AndAac()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("smoke"));

        var probe = await Eventually.WaitForAsync(
            async () =>
            {
                await using var ffprobe = ManagedProcess.Start("ffprobe", ["-v", "error", "-rw_timeout", "3000000", "-show_entries", "stream=codec_name", "-of", "csv=p=0", server.UrlFor("smoke")]);
                await ffprobe.WaitForExitAsync(TimeSpan.FromSeconds(20));
                return ffprobe.ExitCode == 0 && ffprobe.Lines.Contains("h264") ? ffprobe.Transcript : null;
            },
            TimeSpan.FromSeconds(40),
            "the RTMP stream to be probed");

        Assert.Contains("h264", probe, StringComparison.Ordinal);
        Assert.Contains("aac", probe, StringComparison.Ordinal);
    }
}
