using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Media.Tests.Packaging;

/// <summary>
/// Capture-like segments, generated once: a 12 s clip (B-frames, keyframes every 2 s) cut into three 4 s fMP4 files
/// whose timestamps continue from one to the next, as a capture run's do, a 4 s fMP4 at another resolution and a non-H.264 file.
/// </summary>
public sealed class CaptureSegmentsFixture : IAsyncLifetime
{
    public string Folder { get; } = TestMedia.NewFolder("capture-segments-");

    public IReadOnlyList<string> Run => [.. Enumerable.Range(0, 3).Select(i => Path.Combine(Folder, $"run-{i:D3}.mp4"))];

    public string OtherResolution => Path.Combine(Folder, "other-000.mp4");

    /// <summary>A 4 s MPEG-4 Part 2 / MP3 file: what HLS cannot carry as it is.</summary>
    public string Mpeg4 => Path.Combine(Folder, "mpeg4.mkv");

    public async Task InitializeAsync()
    {
        var clip = Path.Combine(Folder, "clip.mp4");
        var other = Path.Combine(Folder, "other.mp4");
        await Task.WhenAll(
            ClipAsync(clip, 12, "320x240"),
            ClipAsync(other, 4, "640x360"),
            TestMedia.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100", "-t", "4", "-c:v", "mpeg4", "-c:a", "libmp3lame", Mpeg4));
        await Task.WhenAll(CutAsync(clip, "run-%03d.mp4"), CutAsync(other, "other-%03d.mp4"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private static Task ClipAsync(string path, int seconds, string size)
        => TestMedia.FfmpegAsync(
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*2)",
            "-c:a", "aac", "-ac", "2", path);

    // No reset_timestamps; frag_discont and avoid_negative_ts=disabled keep each file's tfdt on the clip's timeline
    // (the mp4 muxer would otherwise start every file at 0).
    private Task CutAsync(string clip, string pattern)
        => TestMedia.FfmpegAsync(
            "-i", clip, "-c", "copy", "-f", "segment", "-segment_time", "4", "-segment_format", "mp4",
            "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof+frag_discont:avoid_negative_ts=disabled",
            Path.Combine(Folder, pattern));
}
