using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Media.Tests.Packaging;

/// <summary>Sources for the packaging tests, generated once: a small landscape clip, its capture as segments, a 720p and a portrait clip.</summary>
public sealed class PackagingSourcesFixture : IAsyncLifetime
{
    public string Folder { get; } = TestMedia.NewFolder("packaging-");

    public string Small => Path.Combine(Folder, "small.mp4");

    public string Segments => Path.Combine(Folder, "segments");

    public string Hd => Path.Combine(Folder, "hd.mp4");

    public string Portrait => Path.Combine(Folder, "portrait.mp4");

    public string Mpeg4 => Path.Combine(Folder, "mpeg4.mkv");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Segments);
        await Task.WhenAll(
            TestMedia.ClipAsync(Small, 12),
            TestMedia.ClipAsync(Hd, 5, size: "1280x720", rate: 30),
            TestMedia.ClipAsync(Portrait, 4, size: "360x640"),
            TestMedia.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100", "-t", "4", "-c:v", "mpeg4", "-c:a", "libmp3lame", Mpeg4));
        await TestMedia.FfmpegAsync("-i", Small, "-c", "copy", "-f", "segment", "-segment_time", "6", "-reset_timestamps", "1", "-segment_format", "mp4", Path.Combine(Segments, "segment-%05d.mp4"));
        await TestMedia.WriteManifestAsync(Segments, ["segment-00000.mp4", "segment-00001.mp4"]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
