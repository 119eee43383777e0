using System.Text.Json;
using Recording.Media.Compose;
using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Media.Tests.Compose;

/// <summary>
/// Three participants, each a solid colour with its own tone: A (red) joins at 0 s and leaves at 20 s, B (green) joins at 5 s,
/// C (blue) at 10 s, both stay to the end at 30 s; plus D, audio only. Generated once.
/// </summary>
public sealed class ThreeParticipantsFixture : IAsyncLifetime
{
    public string Folder { get; } = TestMedia.NewFolder("compose-");

    public string Timeline => Path.Combine(Folder, "timeline.json");

    public async Task InitializeAsync()
    {
        await Task.WhenAll(
            TrackAsync("a.mp4", "red", 440, 20),
            TrackAsync("b.mp4", "green", 660, 25),
            TrackAsync("c.mp4", "blue", 880, 20),
            TestMedia.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000", "-t", "10", "-c:a", "aac", Path.Combine(Folder, "d.m4a")));
        await WriteTimelineAsync(Timeline, new CompositeTimeline
        {
            Duration = 30,
            Tracks =
            [
                new TimelineTrack { File = "a.mp4", Participant = "Alice", Role = "host", JoinAt = 0, LeaveAt = 20 },
                new TimelineTrack { File = "b.mp4", Participant = "Bob", Role = "guest", JoinAt = 5, LeaveAt = 30 },
                new TimelineTrack { File = "c.mp4", Participant = "Carol", Role = "guest", JoinAt = 10, LeaveAt = 30 },
            ],
        });
    }

    public static async Task WriteTimelineAsync(string path, CompositeTimeline timeline)
        => await File.WriteAllTextAsync(path, JsonSerializer.Serialize(timeline, CompositeTimeline.JsonOptions));

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private Task TrackAsync(string name, string colour, int tone, int seconds)
        => TestMedia.FfmpegAsync(
            "-f", "lavfi", "-i", $"color=c={colour}:s=320x240:r=25", "-f", "lavfi", "-i", $"sine=frequency={tone}:sample_rate=48000",
            "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            Path.Combine(Folder, name));
}
