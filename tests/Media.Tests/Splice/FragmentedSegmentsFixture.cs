using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Media.Tests.Splice;

/// <summary>
/// Fragmented MP4 segments made the way capture makes them (segment muxer, reset timestamps, a fragment per keyframe and
/// at most a second): three 4 s segments of one 12 s 640x360 stream, and one 320x240 segment whose codec parameters differ.
/// </summary>
public sealed class FragmentedSegmentsFixture : IAsyncLifetime
{
    public string Folder { get; } = TestMedia.NewFolder("fmp4-segments-");

    public IReadOnlyList<string> Segments => [.. Enumerable.Range(0, 3).Select(i => Path.Combine(Folder, $"segment-{i:D5}.mp4"))];

    public string OtherSize => Path.Combine(Folder, "small", "segment-00000.mp4");

    public async Task InitializeAsync()
    {
        await CutAsync("640x360", 12, Folder);
        await CutAsync("320x240", 4, Directory.CreateDirectory(Path.Combine(Folder, "small")).FullName);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private static Task CutAsync(string size, int seconds, string folder) => TestMedia.FfmpegAsync(
        "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-force_key_frames", "expr:gte(t,n_forced*1)", "-c:a", "aac", "-ac", "2",
        "-f", "segment", "-segment_time", "4", "-reset_timestamps", "1", "-segment_format", "mp4",
        "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000",
        Path.Combine(folder, "segment-%05d.mp4"));
}
