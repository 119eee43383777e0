using System.Globalization;
using System.Text.Json;
using Recording.Media.Compose;
using Recording.Media.Tests.MediaOpsSupport;

namespace Recording.Worker.Tests.MediaOps;

/// <summary>
/// Inputs for the media-operation commands, generated once with real ffmpeg: a 12 s capture as three 4 s MP4 segments
/// (320x240, keyframes every second) with its manifest, and a two-participant timeline (red 0-6 s, green 2-6 s).
/// </summary>
public sealed class MediaOpsSourcesFixture : IAsyncLifetime
{
    public const double KeyframeInterval = 1;

    public string Folder { get; } = TestMedia.NewFolder("worker-mediaops-");

    public string Segments => Path.Combine(Folder, "segments");

    public string Participants => Path.Combine(Folder, "participants");

    public string Timeline => Path.Combine(Participants, "timeline.json");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Segments);
        Directory.CreateDirectory(Participants);
        await Task.WhenAll(
            TestMedia.FfmpegAsync(
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*1)",
                "-c:a", "aac", "-ac", "2", "-f", "segment", "-segment_time", "4", "-reset_timestamps", "1", "-segment_format", "mp4",
                Path.Combine(Segments, "segment-%05d.mp4")),
            ColourTrackAsync("a.mp4", "red", 6),
            ColourTrackAsync("b.mp4", "green", 4));
        await TestMedia.WriteManifestAsync(Segments, ["segment-00000.mp4", "segment-00001.mp4", "segment-00002.mp4"]);
        await WriteTimelineAsync(Timeline, new CompositeTimeline
        {
            Duration = 6,
            Tracks =
            [
                new TimelineTrack { File = "a.mp4", Participant = "Alice", Role = "host", JoinAt = 0, LeaveAt = 6 },
                new TimelineTrack { File = "b.mp4", Participant = "Bob", Role = "guest", JoinAt = 2, LeaveAt = 6 },
            ],
        });
    }

    public static Task WriteTimelineAsync(string path, CompositeTimeline timeline)
        => File.WriteAllTextAsync(path, JsonSerializer.Serialize(timeline, CompositeTimeline.JsonOptions));

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private Task ColourTrackAsync(string name, string colour, int seconds)
        => TestMedia.FfmpegAsync(
            "-f", "lavfi", "-i", $"color=c={colour}:s=160x120:r=15", "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            Path.Combine(Participants, name));
}
