using System.Security.Cryptography;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Probing;

namespace Recording.Media.Tests.MediaOpsSupport;

/// <summary>Generates tiny clips with real ffmpeg and writes manifests over them, as a capture would.</summary>
internal static class TestMedia
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static Task FfmpegAsync(params string[] arguments)
        => new FfmpegRunner().RunAsync(["-hide_banner", "-nostdin", "-y", "-v", "error", .. arguments]);

    /// <summary>A test pattern with a tone; keyframes every <paramref name="keyframeSeconds"/>.</summary>
    public static Task ClipAsync(string path, double seconds, string size = "320x240", double keyframeSeconds = 2, int rate = 25, string extra = "")
        => FfmpegAsync(
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={rate}", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-force_key_frames", $"expr:gte(t,n_forced*{keyframeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
            "-c:a", "aac", "-ac", "2", path);

    /// <summary>
    /// A clip of <paramref name="count"/> seconds cut by ffmpeg's segment muxer into one-second MP4 segments (a keyframe at
    /// each start), as a capture cuts them, with their manifest; returns the segment file names in order.
    /// </summary>
    public static async Task<List<string>> OneSecondSegmentsAsync(string folder, int count)
    {
        var whole = Path.Combine(folder, "whole.mp4");
        await ClipAsync(whole, count, keyframeSeconds: 1);
        await FfmpegAsync(
            "-i", whole, "-c", "copy", "-f", "segment", "-segment_time", "1", "-reset_timestamps", "1", "-segment_format", "mp4",
            Path.Combine(folder, "segment-%05d.mp4"));
        File.Delete(whole);
        var files = Directory.GetFiles(folder, "segment-*.mp4").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        if (files.Count != count)
        {
            throw new InvalidOperationException($"expected {count} segments, ffmpeg wrote {files.Count}");
        }

        await WriteManifestAsync(folder, files);
        return files;
    }

    /// <summary>Writes manifest.json for files in <paramref name="folder"/>, each following the previous after the given gap.</summary>
    public static async Task<SegmentManifest> WriteManifestAsync(string folder, IReadOnlyList<string> files, IReadOnlyDictionary<int, double>? gapAfter = null)
    {
        var probe = new MediaProbe();
        var segments = new List<SegmentEntry>();
        var gaps = new List<ManifestGap>();
        var clock = Epoch;
        for (var i = 0; i < files.Count; i++)
        {
            var path = Path.Combine(folder, files[i]);
            var info = await probe.ProbeAsync(path);
            var ended = clock + info.Duration;
            segments.Add(new SegmentEntry
            {
                Index = i,
                File = files[i],
                StartedAt = clock,
                EndedAt = ended,
                DurationSeconds = info.Duration.TotalSeconds,
                Bytes = info.Bytes,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))),
                Streams = info.Streams,
                EndReason = gapAfter?.ContainsKey(i) == true ? SegmentEndReason.SourceLost : SegmentEndReason.Rotation,
            });
            clock = ended;
            if (gapAfter is not null && gapAfter.TryGetValue(i, out var gap))
            {
                gaps.Add(new ManifestGap { AfterIndex = i, StartedAt = clock, EndedAt = clock.AddSeconds(gap) });
                clock = clock.AddSeconds(gap);
            }
        }

        var manifest = new SegmentManifest
        {
            RecordingId = "rec-test",
            Source = "rtmp://127.0.0.1/live/test",
            Format = SegmentFormat.Mp4,
            StartedAt = Epoch,
            EndedAt = clock,
            ExitReason = "stopped",
            Segments = segments,
            Gaps = gaps,
        };
        await ManifestFile.WriteAsync(folder, manifest);
        return manifest;
    }

    public static string NewFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;
}
