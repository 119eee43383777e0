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
        var bitrates = new Option<string>("--bitrates") { Description = "video[/audio] kbit/s per rung, e.g. 240=400/64,720=2800 (defaults: 240=400/64, 360=800/96, 480=1200/96, 720=2800/128, 1080=5000/128)" };
        var thumbnails = new Option<string>("--thumbnails") { Description = "an image every interval (e.g. 10s), a poster, sprite sheets and a WebVTT track, into <output>/thumbnails" };
        var command = new Command("package", "HLS VOD, multi-resolution ladder and thumbnails") { input, output, hls, segmentType, segmentDuration, ladder, bitrates, thumbnails };
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
                        new LadderRequest(source, Path.Combine(folder, "ladder")) { Rungs = heights, Bitrates = ParseBitrates(parseResult.GetValue(bitrates)), SegmentDuration = segment, SegmentType = type },
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
            var parts = entry.Split('=', '/');
            if (parts.Length is < 2 or > 3
                || !int.TryParse(parts[0].TrimEnd('p'), NumberStyles.None, CultureInfo.InvariantCulture, out var side)
                || !int.TryParse(parts[1].TrimEnd('k'), NumberStyles.None, CultureInfo.InvariantCulture, out var video) || video is < 50 or > 50000)
            {
                throw new MediaInputException("bitrates", $"must read like 240=400/64 (rung=video kbit/s[/audio kbit/s], video 50 to 50000), got '{entry}'");
            }

            var audio = parts.Length == 3 && int.TryParse(parts[2].TrimEnd('k'), NumberStyles.None, CultureInfo.InvariantCulture, out var a) && a is >= 16 and <= 512
                ? a
                : parts.Length == 3 ? throw new MediaInputException("bitrates", $"audio must be 16 to 512 kbit/s, got '{entry}'") : LadderRung.For(side).AudioKbps;
            rungs[side] = new LadderRung(side, video, audio);
        }

        return [.. rungs.Values];
    }

    /// <summary>What a package job produced; absent parts were not asked for.</summary>
    internal sealed record PackageOutcome
    {
        public HlsPackageResult? Hls { get; init; }

        public LadderResult? Ladder { get; init; }

        public ThumbnailResult? Thumbnails { get; init; }
    }
}
