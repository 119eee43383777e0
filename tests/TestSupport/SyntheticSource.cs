using System.Globalization;

namespace Recording.TestSupport;

/// <summary>Settings of a live source made by ffmpeg from testsrc2 (or a solid colour) and sine.</summary>
public sealed record SyntheticSourceOptions
{
    public int Width { get; init; } = 320;

    public int Height { get; init; } = 240;

    public int FrameRate { get; init; } = 25;

    /// <summary>A solid colour (an ffmpeg colour such as red or 0x0000ff) instead of testsrc2, so a frame's pixels say whose it is; null for testsrc2.</summary>
    public string? Colour { get; init; }

    /// <summary>Keyframe interval in seconds; segments can only be cut on keyframes.</summary>
    public double KeyframeSeconds { get; init; } = 1;

    public string VideoBitrate { get; init; } = "400k";

    /// <summary>libx264 (H.264), or libx265 for an HEVC source (SRT and MPEG-TS carry it; FLV here does not).</summary>
    public string VideoEncoder { get; init; } = "libx264";

    public int ToneHz { get; init; } = 440;

    public bool Audio { get; init; } = true;

    /// <summary>aac, or another audio encoder (mp2 as broadcast MPEG-TS carries it, libmp3lame for MP3 over RTMP).</summary>
    public string AudioEncoder { get; init; } = "aac";

    /// <summary>48000, or 44100 for MP3 in FLV, which takes no other rate above 22050.</summary>
    public int AudioSampleRate { get; init; } = 48000;

    /// <summary>The ffmpeg muxer for the output URL: flv for RTMP, mpegts for SRT, rtsp for RTSP.</summary>
    public string Muxer { get; init; } = "flv";

    /// <summary>Stop after this long; null runs until disposed.</summary>
    public TimeSpan? Duration { get; init; }
}

/// <summary>
/// A live source pushed in real time (-re) by a real ffmpeg: testsrc2 or solid-colour video (H.264, or HEVC) and a sine tone (AAC, or MP2 or MP3),
/// published to an RTMP server, served as an SRT listener, or pushed to any URL ffmpeg can write.
/// </summary>
public sealed class SyntheticSource : IAsyncDisposable
{
    private readonly ManagedProcess process;

    private SyntheticSource(ManagedProcess process, string url)
    {
        this.process = process;
        Url = url;
    }

    public string Url { get; }

    public bool HasExited => process.HasExited;

    public string Tail() => process.Tail();

    public static SyntheticSource Start(string outputUrl, SyntheticSourceOptions? options = null)
    {
        options ??= new SyntheticSourceOptions();
        var gop = (int)Math.Round(options.FrameRate * options.KeyframeSeconds);
        var args = new List<string> { "-hide_banner", "-loglevel", "warning", "-nostdin", "-re" };
        var video = options.Colour is null ? "testsrc2=" : $"color=c={options.Colour}:";
        args.AddRange(["-f", "lavfi", "-i", $"{video}size={options.Width}x{options.Height}:rate={options.FrameRate}"]);
        if (options.Audio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency={options.ToneHz}:sample_rate=48000"]);
        }

        if (options.Duration is { } duration)
        {
            args.AddRange(["-t", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        }

        args.AddRange([
            "-c:v", options.VideoEncoder, "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-b:v", options.VideoBitrate, "-g", gop.ToString(CultureInfo.InvariantCulture),
            "-keyint_min", gop.ToString(CultureInfo.InvariantCulture), "-sc_threshold", "0",
        ]);
        if (options.VideoEncoder == "libx265")
        {
            args.AddRange(["-x265-params", "log-level=error"]);
        }

        if (options.Audio)
        {
            args.AddRange(["-c:a", options.AudioEncoder, "-b:a", "64k", "-ar", options.AudioSampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "2"]);
        }

        args.AddRange(["-f", options.Muxer, outputUrl]);
        return new SyntheticSource(ManagedProcess.Start("ffmpeg", args), outputUrl);
    }

    /// <summary>Stops the source abruptly, as a dropped encoder or network would.</summary>
    public void Kill() => process.KillTree();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
