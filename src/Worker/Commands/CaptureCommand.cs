using System.CommandLine;
using Microsoft.Extensions.Logging;
using Recording.Media.Capture;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Sources;

namespace Recording.Worker.Commands;

/// <summary>
/// `capture`: records a live source into segments until SIGINT/SIGTERM, the maximum duration, or a source loss beyond
/// the resume window. stdout carries one JSON line per event and nothing else; logs go to stderr.
/// Exit codes: 0 stopped or max-duration, 2 bad input or refused source, 3 source-lost, 4 disk-low, 1 failed.
/// </summary>
internal static class CaptureCommand
{
    public const int ExitBadInput = 2;
    public const int ExitSourceLost = 3;
    public const int ExitDiskLow = 4;
    public const int ExitFailed = 1;

    private static readonly Option<string> Source = new("--source") { Description = "Live source URL: rtmp, rtmps, srt, rtsp, rtsps, or http(s) HLS.", Required = true };
    private static readonly Option<string> Output = new("--output") { Description = "Folder for the segments and manifest.json.", Required = true };
    private static readonly Option<string> Segment = new("--segment") { Description = "Segment length: 1m to 120m (seconds such as 30s need --allow-short-segments).", DefaultValueFactory = _ => "10m" };
    private static readonly Option<string> Format = new("--format") { Description = "fmp4 (default), mp4, flv, ts, hls or m4a.", DefaultValueFactory = _ => "fmp4" };
    private static readonly Option<string> HlsSegments = new("--hls-segments") { Description = "Media segments under an hls playlist: ts (default) or fmp4.", DefaultValueFactory = _ => "ts" };
    private static readonly Option<string> ResumeWindow = new("--resume-window") { Description = "How long to reconnect after the source drops, 0s to 1800s.", DefaultValueFactory = _ => "60s" };
    private static readonly Option<string?> MaxDuration = new("--max-duration") { Description = "Stop after this long, e.g. 2h." };
    private static readonly Option<string?> Id = new("--id") { Description = "Recording id (letters, digits, '-', '_', '.'); default: a new one, or the one in an existing manifest." };
    private static readonly Option<bool> AllowPrivateNetworks = new("--allow-private-networks") { Description = "Allow loopback and private source addresses (local runs only)." };
    private static readonly Option<bool> AllowShortSegments = new("--allow-short-segments") { Description = "Allow segments shorter than a minute (tests, demos)." };
    private static readonly Option<string> MinFreeDisk = new("--min-free-disk") { Description = "Stop with disk-low below this much free space, e.g. 512M, 2G.", DefaultValueFactory = _ => "512M" };
    private static readonly Option<string?> MaxSegmentSize = new("--max-segment-size") { Description = "Rotate when a segment grows past this size, e.g. 1G." };
    private static readonly Option<string?> EventsFile = new("--events-file") { Description = "Also append every event JSON line to this file (never truncated), so that a restarted parent can re-attach." };

    public static Command Create()
    {
        var command = new Command("capture", "Record a live source into crash-safe, keyframe-cut segments with a manifest.");
        foreach (var option in new Option[] { Source, Output, Segment, Format, HlsSegments, ResumeWindow, MaxDuration, Id, AllowPrivateNetworks, AllowShortSegments, MinFreeDisk, MaxSegmentSize, EventsFile })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => RunAsync(result, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        using var loggerFactory = WorkerLogging.CreateFactory();
        var logger = loggerFactory.CreateLogger("capture");

        CaptureOptions options;
        LiveSource source;
        var ffmpeg = WorkerFfmpeg.FromEnvironment();
        try
        {
            options = await ReadOptionsAsync(result);
            var policy = new SourcePolicy(new SourcePolicyOptions { AllowPrivateNetworks = result.GetValue(AllowPrivateNetworks) });
            source = await policy.ValidateAsync(result.GetValue(Source)!, cancellationToken);
        }
        catch (BadOptionException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitBadInput;
        }
        catch (CaptureOptionsException ex)
        {
            await Console.Error.WriteLineAsync($"error: {OptionName(ex.Field)} ({ex.Rule}): {ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..]}");
            return ExitBadInput;
        }
        catch (SourceRejectedException ex)
        {
            await Console.Error.WriteLineAsync($"error: --source ({ex.Rule}): {ex.Message}");
            return ExitBadInput;
        }

        EventWriter events;
        var eventsFile = result.GetValue(EventsFile);
        try
        {
            events = EventWriter.Open(Console.Out, eventsFile is null ? null : Path.GetFullPath(eventsFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await Console.Error.WriteLineAsync($"error: --events-file (writable-file): cannot append to '{eventsFile}': {ex.Message}");
            return ExitBadInput;
        }

        using var eventsOwner = events;
        using var stop = new StopSignals(cancellationToken);
        using var session = new CaptureSession(source, options, new FfmpegRunner(ffmpeg), ffmpeg, logger);
        var outcome = await session.RunAsync(events.Write, stop.Token);
        return outcome.Reason switch
        {
            CaptureExitReason.Stopped or CaptureExitReason.MaxDuration => 0,
            CaptureExitReason.SourceLost => ExitSourceLost,
            CaptureExitReason.DiskLow => ExitDiskLow,
            _ => ExitFailed,
        };
    }

    private static async Task<CaptureOptions> ReadOptionsAsync(ParseResult result)
    {
        var output = Path.GetFullPath(result.GetValue(Output)!);
        var id = result.GetValue(Id);
        if (id is null && File.Exists(ManifestFile.PathIn(output)))
        {
            // Restarted on the folder of an earlier (maybe crashed) run: keep its recording id.
            try
            {
                id = (await ManifestFile.ReadAsync(output)).RecordingId;
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }

        var maxDuration = result.GetValue(MaxDuration);
        var maxSegment = result.GetValue(MaxSegmentSize);
        return new CaptureOptions
        {
            RecordingId = id ?? $"rec-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}",
            OutputDirectory = output,
            Format = ParseFormat(result.GetValue(Format)!),
            HlsSegmentType = result.GetValue(HlsSegments) switch
            {
                "ts" => HlsSegmentType.Ts,
                "fmp4" => HlsSegmentType.Fmp4,
                var other => throw new BadOptionException("--hls-segments", "one-of", $"'{other}' is not ts or fmp4."),
            },
            SegmentLength = Duration("--segment", result.GetValue(Segment)!),
            AllowShortSegments = result.GetValue(AllowShortSegments),
            ResumeWindow = Duration("--resume-window", result.GetValue(ResumeWindow)!),
            MaxDuration = maxDuration is null ? null : Duration("--max-duration", maxDuration),
            MinFreeDiskBytes = Size("--min-free-disk", result.GetValue(MinFreeDisk)!),
            MaxSegmentBytes = maxSegment is null ? null : Size("--max-segment-size", maxSegment),
        }.Also(o => o.Validate());
    }

    private static SegmentFormat ParseFormat(string text) => text switch
    {
        "fmp4" => SegmentFormat.Fmp4,
        "mp4" => SegmentFormat.Mp4,
        "flv" => SegmentFormat.Flv,
        "ts" => SegmentFormat.Ts,
        "hls" => SegmentFormat.Hls,
        "m4a" => SegmentFormat.M4a,
        _ => throw new BadOptionException("--format", "one-of", $"'{text}' is not one of fmp4, mp4, flv, ts, hls, m4a."),
    };

    private static TimeSpan Duration(string option, string text)
        => DurationText.TryParse(text, out var value) ? value : throw new BadOptionException(option, "duration-format", $"'{text}' is not a duration such as 90s, 10m, 2h or 1h30m.");

    private static long Size(string option, string text)
        => ByteSizeText.TryParse(text, out var value) ? value : throw new BadOptionException(option, "size-format", $"'{text}' is not a size such as 512M or 2G.");

    private static string OptionName(string field) => field switch
    {
        nameof(CaptureOptions.SegmentLength) => "--segment",
        nameof(CaptureOptions.ResumeWindow) => "--resume-window",
        nameof(CaptureOptions.MaxDuration) => "--max-duration",
        nameof(CaptureOptions.RecordingId) => "--id",
        nameof(CaptureOptions.OutputDirectory) => "--output",
        nameof(CaptureOptions.MinFreeDiskBytes) => "--min-free-disk",
        nameof(CaptureOptions.MaxSegmentBytes) => "--max-segment-size",
        nameof(CaptureOptions.HlsSegmentType) => "--hls-segments",
        _ => field,
    };

    private static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }

    private sealed class BadOptionException(string option, string rule, string detail) : Exception($"{option} ({rule}): {detail}");
}
