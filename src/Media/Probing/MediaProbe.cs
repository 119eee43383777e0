using FFMpegCore;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;

namespace Recording.Media.Probing;

/// <summary>Probes files with ffprobe (through FFMpegCore) and proves that they decode.</summary>
public sealed class MediaProbe
{
    private readonly FfmpegOptions options;

    public MediaProbe(FfmpegOptions? options = null)
    {
        this.options = options ?? new FfmpegOptions();
    }

    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Cannot probe {path}: the file does not exist.", path);
        }

        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, FfOptions(), cancellationToken: cancellationToken);
        }
        catch (FFMpegCore.Exceptions.FFMpegException ex)
        {
            throw new FfmpegException($"ffprobe could not read {System.IO.Path.GetFileName(path)}", -1, ex.Message);
        }

        var video = analysis.PrimaryVideoStream;
        var audio = analysis.PrimaryAudioStream;
        return new MediaInfo
        {
            Path = path,
            FormatName = analysis.Format.FormatName,
            Duration = analysis.Duration,
            StartTime = analysis.Format.StartTime,
            Bytes = new FileInfo(path).Length,
            BitRate = analysis.Format.BitRate > 0 ? (long)analysis.Format.BitRate : null,
            Streams = new StreamInfo
            {
                VideoCodec = video?.CodecName,
                Width = video?.Width,
                Height = video?.Height,
                FrameRate = video is { AverageFrameRate: > 0 } ? Math.Round(video.AverageFrameRate, 3) : null,
                AudioCodec = audio?.CodecName,
                AudioSampleRate = audio?.SampleRateHz,
                AudioChannels = audio?.Channels,
            },
        };
    }

    /// <summary>Decodes every stream to nowhere and reports the errors ffmpeg saw; the proof that a file plays, not just parses.</summary>
    public async Task<DecodeReport> DecodeAsync(string path, CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        var runner = new FfmpegRunner(options);
        var result = await runner.RunAllowingFailureAsync(
            ["-hide_banner", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"],
            line =>
            {
                lock (errors)
                {
                    errors.Add(line);
                }
            },
            cancellationToken);
        return new DecodeReport(result.ExitCode == 0 && errors.Count == 0, result.ExitCode, errors);
    }

    private FFOptions FfOptions()
    {
        var folder = System.IO.Path.GetDirectoryName(options.FfprobePath);
        return string.IsNullOrEmpty(folder) ? new FFOptions() : new FFOptions { BinaryFolder = folder };
    }
}

/// <summary>The result of decoding a whole file: clean only with exit code 0 and no error lines.</summary>
public sealed record DecodeReport(bool IsClean, int ExitCode, IReadOnlyList<string> Errors);
