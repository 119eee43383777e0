using Recording.Media.Ffmpeg;
using Recording.Media.Probing;

namespace Recording.Media.Tests.Probing;

public sealed class MediaProbeTests
{
    [Fact]
    public async Task Probe_OfGeneratedClip_ReportsDurationCodecsAndSize()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("probe-").FullName, "clip.mp4");
        await new FfmpegRunner().RunAsync([
            "-hide_banner", "-nostdin", "-v", "error",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", path,
        ]);

        var info = await new MediaProbe().ProbeAsync(path);
        var decode = await new MediaProbe().DecodeAsync(path);

        Assert.InRange(info.Duration.TotalSeconds, 2.9, 3.2);
        Assert.Equal("h264", info.Streams.VideoCodec);
        Assert.Equal(320, info.Streams.Width);
        Assert.Equal("aac", info.Streams.AudioCodec);
        Assert.Equal(48000, info.Streams.AudioSampleRate);
        Assert.Equal(25, info.Streams.FrameRate);
        Assert.Equal(new FileInfo(path).Length, info.Bytes);
        Assert.True(decode.IsClean, string.Join('\n', decode.Errors));
    }

    [Fact]
    public async Task Decode_OfCorruptedFile_IsNotClean()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("probe-").FullName, "broken.ts");
        await new FfmpegRunner().RunAsync([
            "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", path,
        ]);
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = bytes.Length / 3; i < bytes.Length * 2 / 3; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(path, bytes);

        var decode = await new MediaProbe().DecodeAsync(path);

        Assert.False(decode.IsClean);
        Assert.NotEmpty(decode.Errors);
    }

    [Fact]
    public async Task Cancellation_SendsQAndLeavesAFinalisedMp4()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("probe-").FullName, "live.mp4");
        using var stop = new CancellationTokenSource();
        var run = new FfmpegRunner().RunAsync(
            [
                "-hide_banner", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4", path,
            ],
            line =>
            {
                // Ask to stop once ffmpeg reports two seconds encoded.
                if (line.Contains("time=00:00:02", StringComparison.Ordinal))
                {
                    stop.Cancel();
                }
            },
            stop.Token);
        var result = await run;

        Assert.True(result.StoppedOnRequest);
        var info = await new MediaProbe().ProbeAsync(path);
        Assert.InRange(info.Duration.TotalSeconds, 1.5, 10);
    }
}
