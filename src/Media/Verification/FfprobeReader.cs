using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Recording.Media.Ffmpeg;

namespace Recording.Media.Verification;

/// <summary>Asks ffprobe (JSON or CSV output) for what FFMpegCore's analysis does not expose: extradata hashes, keyframe times, packet sizes.</summary>
public sealed class FfprobeReader
{
    private readonly FfmpegOptions options;

    public FfprobeReader(FfmpegOptions? options = null)
    {
        this.options = options ?? new FfmpegOptions();
    }

    /// <summary>
    /// How many ffprobes <see cref="SignaturesAsync"/> runs at once. A day recorded in one-minute segments is 1,440 files:
    /// one ffprobe each, all at once, would start 1,440 processes (tens of MB each) on a job container of 2 cores.
    /// </summary>
    public static int MaxConcurrentProbes { get; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>The signatures of <paramref name="paths"/>, in their order, at most <see cref="MaxConcurrentProbes"/> ffprobes at a time.</summary>
    public async Task<StreamSignature[]> SignaturesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        var signatures = new StreamSignature[paths.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, paths.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentProbes, CancellationToken = cancellationToken },
            async (i, token) => signatures[i] = await SignatureAsync(paths[i], token));
        return signatures;
    }

    public async Task<StreamSignature> SignatureAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await RunAsync(
            ["-v", "error", "-show_data_hash", "sha256", "-show_entries",
             "format=duration,start_time:stream=codec_type,codec_name,width,height,pix_fmt,avg_frame_rate,sample_rate,channels,profile,extradata_hash,start_time",
             "-of", "json", "file:" + path],
            cancellationToken);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var duration = root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d)
            ? TimeSpan.FromSeconds(double.Parse(d.GetString()!, CultureInfo.InvariantCulture))
            : TimeSpan.Zero;
        var startTime = root.TryGetProperty("format", out var f) && f.TryGetProperty("start_time", out var st)
            && double.TryParse(st.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var startSeconds)
            ? TimeSpan.FromSeconds(startSeconds)
            : TimeSpan.Zero;
        JsonElement? video = null, audio = null;
        foreach (var stream in root.GetProperty("streams").EnumerateArray())
        {
            var type = stream.GetProperty("codec_type").GetString();
            if (type == "video" && video is null)
            {
                video = stream;
            }
            else if (type == "audio" && audio is null)
            {
                audio = stream;
            }
        }

        return new StreamSignature
        {
            Duration = duration,
            StartTime = startTime,
            VideoCodec = video is { } v ? Text(v, "codec_name") : null,
            Width = video is { } v1 ? Int(v1, "width") : 0,
            Height = video is { } v2 ? Int(v2, "height") : 0,
            PixelFormat = video is { } v3 ? Text(v3, "pix_fmt") : null,
            FrameRate = video is { } v4 ? Rate(Text(v4, "avg_frame_rate")) : 0,
            VideoExtradataHash = video is { } v5 ? Text(v5, "extradata_hash") : null,
            VideoStartTime = video is { } v6 ? Seconds(v6, "start_time") : null,
            AudioCodec = audio is { } a ? Text(a, "codec_name") : null,
            SampleRate = audio is { } a1 ? Int(a1, "sample_rate") : 0,
            Channels = audio is { } a2 ? Int(a2, "channels") : 0,
            AudioProfile = audio is { } a3 ? Text(a3, "profile") : null,
            AudioExtradataHash = audio is { } a4 ? Text(a4, "extradata_hash") : null,
            AudioStartTime = audio is { } a5 ? Seconds(a5, "start_time") : null,
        };
    }

    /// <summary>
    /// Presentation times of the video keyframes in the file's own timestamps (not shifted to zero), which is what the
    /// concat demuxer's inpoint and outpoint are compared with; read from packets without decoding.
    /// </summary>
    public async Task<IReadOnlyList<double>> KeyframeTimesAsync(string path, CancellationToken cancellationToken = default)
    {
        var packets = await VideoPacketsAsync(path, cancellationToken);
        return [.. packets.Where(p => p.Keyframe).Select(p => p.Time).Order()];
    }

    /// <summary>The video packets of a file in decode order, with size and SHA-256 of their data: the evidence that a cut copied rather than re-encoded.</summary>
    public async Task<IReadOnlyList<PacketRecord>> VideoPacketsAsync(string path, CancellationToken cancellationToken = default)
    {
        var csv = await RunAsync(
            ["-v", "error", "-select_streams", "v:0", "-show_data_hash", "sha256", "-show_entries", "packet=pts_time,size,flags,data_hash",
             "-of", "csv=p=0", "file:" + path],
            cancellationToken);
        var packets = new List<PacketRecord>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',');
            if (fields.Length < 4 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var time))
            {
                continue;
            }

            packets.Add(new PacketRecord(time, int.Parse(fields[1], CultureInfo.InvariantCulture), fields[2].Contains('K', StringComparison.Ordinal), fields[3]));
        }

        return packets;
    }

    /// <summary>
    /// Decode timestamp and duration of every packet of one stream (<paramref name="stream"/> as ffprobe selects it:
    /// "v:0", "a:0"), in file order; read from packets without decoding.
    /// </summary>
    public async Task<IReadOnlyList<PacketTiming>> PacketTimingsAsync(string path, string stream, CancellationToken cancellationToken = default)
    {
        var csv = await RunAsync(
            ["-v", "error", "-select_streams", stream, "-show_entries", "packet=dts_time,duration_time", "-of", "csv=p=0", "file:" + path],
            cancellationToken);
        var packets = new List<PacketTiming>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',');
            if (fields.Length < 2 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var dts))
            {
                continue;
            }

            packets.Add(new PacketTiming(dts, double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var duration) ? duration : null));
        }

        return packets;
    }

    /// <summary>The raw codec extradata of the first video stream (avcC for H.264 in MP4), from ffprobe's hex dump.</summary>
    public async Task<byte[]> VideoExtradataAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await RunAsync(["-v", "error", "-select_streams", "v:0", "-show_data", "-show_entries", "stream=extradata", "-of", "json", "file:" + path], cancellationToken);
        using var document = JsonDocument.Parse(json);
        var streams = document.RootElement.GetProperty("streams");
        if (streams.GetArrayLength() == 0 || !streams[0].TryGetProperty("extradata", out var dump))
        {
            return [];
        }

        var bytes = new List<byte>();
        foreach (var line in dump.GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "00000000: 0142 c00d ffe1 0016 6742 c00d da05 07ec  .B......gB......"
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var hexPart = line[(colon + 1)..];
            var asciiStart = hexPart.IndexOf("  ", StringComparison.Ordinal);
            if (asciiStart >= 0)
            {
                hexPart = hexPart[..asciiStart];
            }

            var hex = hexPart.Replace(" ", string.Empty, StringComparison.Ordinal);
            bytes.AddRange(Convert.FromHexString(hex));
        }

        return [.. bytes];
    }

    private async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(options.FfprobePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start ffprobe.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A cancelled wait would otherwise leave ffprobe running: a job cancelled mid-verification (a probe of a stalled
            // network mount, or of a whole long recording) must not leave processes behind. Killed here, before this method
            // returns, rather than from a token callback: a callback registered ahead of the wait runs after the wait's own
            // and could be unregistered by this method's exit before it ran (a CI run left ffprobe behind that way).
            ProcessSignal.KillQuietly(process);
            throw;
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new FfmpegException("ffprobe failed", process.ExitCode, errors.Length > 2000 ? errors[^2000..] : errors);
        }

        return output;
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static TimeSpan? Seconds(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static int Int(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static double Rate(string? fraction)
    {
        if (fraction is null)
        {
            return 0;
        }

        var parts = fraction.Split('/');
        return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var n) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var dd) && dd > 0
            ? n / dd
            : 0;
    }
}

/// <summary>One packet as ffprobe lists it.</summary>
public sealed record PacketRecord(double Time, int Size, bool Keyframe, string DataHash);
