using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Media.Tests.Splice;

/// <summary>
/// One 40 s capture cut into four 10 s MP4 segments by ffmpeg's segment muxer (as a capture would), keyframes every 2.5 s,
/// plus an odd 640x360 segment and a manifest with a 5 s gap. Generated once for the splice and clip tests.
/// </summary>
public sealed class SplicedRecordingFixture : IAsyncLifetime
{
    public string Compatible { get; } = TestMedia.NewFolder("splice-compatible-");

    public string Mixed { get; } = TestMedia.NewFolder("splice-mixed-");

    public string Gapped { get; } = TestMedia.NewFolder("splice-gapped-");

    public async Task InitializeAsync()
    {
        await TestMedia.FfmpegAsync(
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*2.5)",
            "-c:a", "aac", "-ac", "2", "-f", "segment", "-segment_time", "10", "-reset_timestamps", "1", "-segment_format", "mp4",
            Path.Combine(Compatible, "segment-%05d.mp4"));
        string[] files = ["segment-00000.mp4", "segment-00001.mp4", "segment-00002.mp4", "segment-00003.mp4"];
        await TestMedia.WriteManifestAsync(Compatible, files);

        foreach (var file in files[..2])
        {
            File.Copy(Path.Combine(Compatible, file), Path.Combine(Mixed, file));
            File.Copy(Path.Combine(Compatible, file), Path.Combine(Gapped, file));
        }

        await TestMedia.ClipAsync(Path.Combine(Mixed, "wide.mp4"), 4, size: "640x360");
        await TestMedia.WriteManifestAsync(Mixed, ["segment-00000.mp4", "wide.mp4", "segment-00001.mp4"]);
        await TestMedia.WriteManifestAsync(Gapped, files[..2], new Dictionary<int, double> { [0] = 5 });
    }

    public Task DisposeAsync()
    {
        foreach (var folder in new[] { Compatible, Mixed, Gapped })
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
