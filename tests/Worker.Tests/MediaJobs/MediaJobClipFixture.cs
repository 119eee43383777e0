using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Worker.Tests.MediaJobs;

/// <summary>The media jobs' input, generated once with real ffmpeg: 4 s of 1280x720 test pattern with a tone (short, to keep CI fast).</summary>
public sealed class MediaJobClipFixture : IAsyncLifetime
{
    public const double Seconds = 4;

    public string Folder { get; } = TestMedia.NewFolder("worker-mediajob-");

    public string Clip => Path.Combine(Folder, "spliced-720p.mp4");

    public Task InitializeAsync() => TestMedia.ClipAsync(Clip, Seconds, size: "1280x720", keyframeSeconds: 2);

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
