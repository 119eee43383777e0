using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Recording.Media.Compose;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Probing;

namespace Recording.Media.Bench;

/// <summary>The generated inputs of the bench: a 720p30 H.264/AAC recording, its capture as 5 s segments, 720p30 and 1080p30 ladder sources, and four 360p participant tracks.</summary>
internal sealed class BenchClips(string folder)
{
    public string Recording => Path.Combine(folder, "recording.mp4");

    public string LadderSource => Path.Combine(folder, "ladder-source.mp4");

    public string DefaultLadderSource => Path.Combine(folder, "ladder-source-1080p.mp4");

    public string Segments => Path.Combine(folder, "segments");

    public string Tracks => Path.Combine(folder, "tracks");

    public string Timeline => Path.Combine(Tracks, "timeline.json");

    public IReadOnlyList<string> TrackFiles { get; } = [.. Enumerable.Range(0, 4).Select(i => $"p{i}.mp4")];

    public async Task GenerateAsync(int recordingSeconds, int ladderSeconds, int compositeSeconds)
    {
        Directory.CreateDirectory(Segments);
        Directory.CreateDirectory(Tracks);
        await FfmpegAsync(
            "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Text(recordingSeconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-b:v", "3M", "-pix_fmt", "yuv420p",
            "-force_key_frames", "expr:gte(t,n_forced*2)", "-c:a", "aac", "-b:a", "128k", "-ac", "2", Recording);
        await LadderSourceAsync(ladderSeconds, "1280x720", 4500, LadderSource);
        // The default ladder's source: 1080p at 6 Mbit/s, a usual bitrate for a 1080p30 live stream.
        await LadderSourceAsync(ladderSeconds, "1920x1080", 6000, DefaultLadderSource);
        await FfmpegAsync("-i", Recording, "-c", "copy", "-f", "segment", "-segment_time", "5", "-reset_timestamps", "1", "-segment_format", "mp4", Path.Combine(Segments, "segment-%05d.mp4"));
        await WriteManifestAsync();

        string[] sources = ["testsrc2", "smptebars", "rgbtestsrc", "mandelbrot"];
        for (var i = 0; i < TrackFiles.Count; i++)
        {
            await FfmpegAsync(
                "-f", "lavfi", "-i", $"{sources[i]}=size=640x360:rate=30", "-f", "lavfi", "-i", $"sine=frequency={330 + (110 * i)}:sample_rate=48000",
                "-t", Text(compositeSeconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "60", "-c:a", "aac", "-ac", "2",
                Path.Combine(Tracks, TrackFiles[i]));
        }

        var timeline = new CompositeTimeline
        {
            Duration = compositeSeconds,
            Tracks = [.. TrackFiles.Select((f, i) => new TimelineTrack { File = f, Participant = $"P{i}", Role = "guest", JoinAt = 0, LeaveAt = compositeSeconds })],
        };
        await File.WriteAllTextAsync(Timeline, JsonSerializer.Serialize(timeline, CompositeTimeline.JsonOptions));
    }

    public long SegmentBytes() => Directory.GetFiles(Segments, "segment-*.mp4").Sum(f => new FileInfo(f).Length);

    private async Task WriteManifestAsync()
    {
        var probe = new MediaProbe();
        var clock = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var segments = new List<SegmentEntry>();
        foreach (var (path, index) in Directory.GetFiles(Segments, "segment-*.mp4").Order(StringComparer.Ordinal).Select((p, i) => (p, i)))
        {
            var info = await probe.ProbeAsync(path);
            segments.Add(new SegmentEntry
            {
                Index = index,
                File = Path.GetFileName(path),
                StartedAt = clock,
                EndedAt = clock + info.Duration,
                DurationSeconds = info.Duration.TotalSeconds,
                Bytes = info.Bytes,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))),
                Streams = info.Streams,
                EndReason = SegmentEndReason.Rotation,
            });
            clock += info.Duration;
        }

        await ManifestFile.WriteAsync(Segments, new SegmentManifest
        {
            RecordingId = "rec-bench",
            Source = "rtmp://127.0.0.1/live/bench",
            Format = SegmentFormat.Mp4,
            StartedAt = segments[0].StartedAt,
            EndedAt = clock,
            ExitReason = "stopped",
            Segments = segments,
        });
    }

    /// <summary>
    /// A ladder's source, encoded as a camera or OBS would send it (High profile, B-frames, CABAC), since the cost of
    /// decoding it is what one process saves over one per rung.
    /// </summary>
    private static Task<FfmpegResult> LadderSourceAsync(int seconds, string size, int kbps, string path)
        => FfmpegAsync(
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Text(seconds), "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-b:v", $"{kbps}k", "-pix_fmt", "yuv420p",
            "-g", "60", "-c:a", "aac", "-b:a", "128k", "-ac", "2", path);

    private static Task<FfmpegResult> FfmpegAsync(params string[] arguments)
        => new FfmpegRunner().RunAsync(["-hide_banner", "-nostdin", "-y", "-v", "error", .. arguments]);

    private static string Text(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
