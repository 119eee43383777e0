using System.CommandLine;
using System.Globalization;
using Recording.Media.Packaging;
using Recording.Media.Validation;

namespace Recording.Worker.Commands;

/// <summary>`package --input &lt;file|manifest&gt; --output &lt;dir&gt; [--hls] [--ladder 240,480,720,1080] [--thumbnails 10s]`.</summary>
internal static class PackageCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "a media file, or manifest.json / its folder", Required = true };
        var output = new Option<string>("--output") { Description = "the folder to write into", Required = true };
        var hls = new Option<bool>("--hls") { Description = "an HLS VOD (index.m3u8) in <output>/hls" };
        var segmentType = new Option<string>("--segment-type") { Description = "ts (default) or fmp4", DefaultValueFactory = _ => "ts" };
        var segmentDuration = new Option<string>("--segment-duration") { Description = "HLS segment length (default 6s)", DefaultValueFactory = _ => "6s" };
        var ladder = new Option<string>("--ladder") { Description = "rungs by short side, e.g. 240,480,720,1080, into <output>/ladder" };
        var bitrates = new Option<string>("--bitrates") { Description = "video kbit/s per rung, e.g. 240=400,720=2800 (defaults: 240=400, 360=800, 480=1200, 720=2800, 1080=5000)" };
        var audioBitrate = new Option<string>("--audio-bitrate") { Description = "kbit/s of the one AAC encode that every rung carries (default 128)", DefaultValueFactory = _ => "128" };
        var thumbnails = new Option<string>("--thumbnails") { Description = "an image every interval (e.g. 10s), a poster, sprite sheets and a WebVTT track, into <output>/thumbnails" };
        var command = new Command("package", "HLS VOD, multi-resolution ladder and thumbnails") { input, output, hls, segmentType, segmentDuration, ladder, bitrates, audioBitrate, thumbnails };
        command.SetAction((parseResult, cancellationToken) => MediaOperation.RunAsync(parseResult, "packaged", "--input", async stop =>
        {
            var source = parseResult.GetRequiredValue(input);
            var folder = parseResult.GetRequiredValue(output);
            var wantHls = parseResult.GetValue(hls);
            var rungs = MediaOperation.List(parseResult.GetValue(ladder));
            var interval = parseResult.GetValue(thumbnails);
            if (!wantHls && rungs.Count == 0 && interval is null)
            {
                throw new MediaInputException("hls", "at least one of --hls, --ladder, --thumbnails must be given");
            }

            var type = parseResult.GetValue(segmentType)?.Trim().ToLowerInvariant() switch
            {
                "ts" => HlsSegmentType.Ts,
                "fmp4" => HlsSegmentType.Fmp4,
                var other => throw new MediaInputException("segment-type", $"must be ts or fmp4 (got '{other}')"),
            };
            var segment = MediaOperation.ParseTime(parseResult.GetValue(segmentDuration), "segment-duration");
            var result = new PackageOutcome();
            if (wantHls)
            {
                result = result with
                {
                    Hls = await new HlsPackager().PackageAsync(new HlsPackageRequest(source, Path.Combine(folder, "hls"), type) { SegmentDuration = segment }, stop),
                };
            }

            if (rungs.Count > 0)
            {
                var heights = rungs.Select(r => int.TryParse(r.TrimEnd('p'), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : throw new MediaInputException("ladder", $"must list heights such as 240,480,720 (got '{r}')")).ToList();
                result = result with
                {
                    Ladder = await new LadderPackager().PackageAsync(
                        new LadderRequest(source, Path.Combine(folder, "ladder")) { Rungs = heights, Bitrates = ParseBitrates(parseResult.GetValue(bitrates)), AudioKbps = ParseAudioBitrate(parseResult.GetValue(audioBitrate)), SegmentDuration = segment, SegmentType = type },
                        stop),
                };
            }

            if (interval is not null)
            {
                result = result with
                {
                    Thumbnails = await new ThumbnailGenerator().GenerateAsync(
                        new ThumbnailRequest(source, Path.Combine(folder, "thumbnails")) { Interval = MediaOperation.ParseTime(interval, "thumbnails") },
                        stop),
                };
            }

            return result;
        }, null, cancellationToken));
        return command;
    }

    internal static IReadOnlyList<LadderRung> ParseBitrates(string? text)
    {
        var rungs = LadderRung.Defaults.ToDictionary(r => r.ShortSide);
        foreach (var entry in MediaOperation.List(text))
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                throw new MediaInputException("bitrates", $"sets video only: the audio is one encode for all rungs, set by --audio-bitrate (got '{entry}')");
            }

            var parts = entry.Split('=');
            if (parts.Length != 2
                || !int.TryParse(parts[0].TrimEnd('p'), NumberStyles.None, CultureInfo.InvariantCulture, out var side)
                || !int.TryParse(parts[1].TrimEnd('k'), NumberStyles.None, CultureInfo.InvariantCulture, out var video) || video is < 50 or > 50000)
            {
                throw new MediaInputException("bitrates", $"must read like 240=400 (rung=video kbit/s, 50 to 50000), got '{entry}'");
            }

            rungs[side] = new LadderRung(side, video);
        }

        return [.. rungs.Values];
    }

    /// <summary>A number of kbit/s; its range is the ladder's rule (<see cref="LadderPackager"/>).</summary>
    internal static int ParseAudioBitrate(string? text)
        => int.TryParse(text?.Trim().TrimEnd('k'), NumberStyles.None, CultureInfo.InvariantCulture, out var kbps)
            ? kbps
            : throw new MediaInputException("audio-bitrate", $"must be a whole number of kbit/s, e.g. 128 (got '{text}')");

    /// <summary>What a package job produced; absent parts were not asked for.</summary>
    internal sealed record PackageOutcome
    {
        public HlsPackageResult? Hls { get; init; }

        public LadderResult? Ladder { get; init; }

        public ThumbnailResult? Thumbnails { get; init; }
    }
}
