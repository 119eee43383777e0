using Recording.TestSupport;

namespace Recording.Capture.Bench;

/// <summary>
/// The live stream under test: a 720p30, 3 Mbps H.264 + AAC clip encoded once, then published to nginx-rtmp in a loop
/// with -c copy, so that the publisher costs almost nothing next to the captures being measured.
/// </summary>
public static class BenchStream
{
    public static async Task<string> EncodeClipAsync(string folder)
    {
        var clip = Path.Combine(folder, "clip-720p-3mbps.flv");
        await using var encoder = ManagedProcess.Start("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "10",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-b:v", "3M", "-maxrate", "3M", "-bufsize", "6M",
            "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2", clip,
        ]);
        var exit = await encoder.WaitForExitAsync(TimeSpan.FromMinutes(3));
        if (exit != 0)
        {
            throw new InvalidOperationException($"encoding the bench clip failed: {encoder.Tail()}");
        }

        return clip;
    }

    /// <summary>A fragmented MP4 of the given length, as capture writes one (the clip looped, stream copy, same movflags).</summary>
    public static async Task<string> SegmentOfAsync(string clip, TimeSpan length, string folder)
    {
        Directory.CreateDirectory(folder);
        var segment = Path.Combine(folder, "segment_00000.mp4");
        await using var writer = ManagedProcess.Start("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-stream_loop", "-1", "-i", clip, "-t", length.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "copy", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", segment,
        ]);
        var exit = await writer.WaitForExitAsync(TimeSpan.FromMinutes(3));
        if (exit != 0)
        {
            throw new InvalidOperationException($"writing the closing sample failed: {writer.Tail()}");
        }

        return segment;
    }

    public static ManagedProcess Publish(string clip, string url) => ManagedProcess.Start("ffmpeg", [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", clip, "-c", "copy", "-f", "flv", url,
    ]);
}
