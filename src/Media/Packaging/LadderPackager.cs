using System.Globalization;
using System.Text;
using Recording.Media.Ffmpeg;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// Encodes a multi-resolution ladder: all rungs from one decode in one ffmpeg process (a cascade of scales, each rung
/// from the one above it, one x264 per rung, and one AAC encode that the tee muxer writes into every rung), keyframes
/// forced on the same grid in every rung, at most 2 s apart and on every segment boundary, so that players can switch
/// at any segment boundary; then each rung MP4 is cut into HLS by stream copy, a TS rung gets an I-frame playlist over
/// its segments, and the master playlist gets BANDWIDTH measured from the segments produced and CODECS read from the
/// encoded SPS (profile, constraints, level).
/// </summary>
public sealed class LadderPackager
{
    public const string MasterName = "master.m3u8";

    private readonly FfmpegOptions? ffmpeg;
    private readonly FfmpegRunner runner;
    private readonly FfprobeReader reader;
    private readonly OutputVerifier verifier;
    private readonly HlsPackager hls;
    private readonly HlsIFrameIndexer iFrames;

    public LadderPackager(FfmpegOptions? ffmpeg = null)
    {
        this.ffmpeg = ffmpeg;
        runner = new FfmpegRunner(ffmpeg);
        reader = new FfprobeReader(ffmpeg);
        verifier = new OutputVerifier(ffmpeg);
        hls = new HlsPackager(ffmpeg);
        iFrames = new HlsIFrameIndexer(ffmpeg);
    }

    public async Task<LadderResult> PackageAsync(LadderRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Rungs.Count == 0 || request.Rungs.Any(r => r < 120 || r > 2160 || r % 2 != 0))
        {
            throw new MediaInputException("ladder", "must list rungs as even heights between 120 and 2160 (e.g. 240,480,720,1080)");
        }

        if (request.AudioKbps is < 16 or > 512)
        {
            throw new MediaInputException("audio-bitrate", $"must be 16 to 512 kbit/s (got {request.AudioKbps})");
        }

        var output = PackagingInput.PrepareOutputDirectory(request.OutputDirectory);
        using var scratch = new ScratchFolder("ladder-");
        var input = await PackagingInput.ResolveAsync(request.Input, scratch.FullName, ffmpeg, cancellationToken);
        var source = await reader.SignatureAsync(input, cancellationToken);
        if (!source.HasVideo)
        {
            throw new MediaInputException("input", "must have a video stream to make a ladder");
        }

        var shortSide = Math.Min(source.Width, source.Height);
        var wanted = request.Rungs.Distinct().Order().ToList();
        var kept = wanted.Where(r => r <= shortSide).ToList();
        if (kept.Count == 0)
        {
            throw new MediaInputException("ladder", $"has no rung at or below the source's {shortSide}p (never upscaled)");
        }

        var plans = kept.Select(r => Plan(r, source, request.Bitrates, output)).ToList();
        foreach (var plan in plans)
        {
            Directory.CreateDirectory(plan.Folder);
        }

        var fps = source.FrameRate > 0 ? source.FrameRate : 30;
        var encoding = System.Diagnostics.Stopwatch.StartNew();
        if (request.Mode == LadderProcessMode.OneProcess)
        {
            await runner.RunAsync(BuildArguments(input, source, plans, request, fps), cancellationToken: cancellationToken);
        }
        else
        {
            await Task.WhenAll(plans.Select(p => runner.RunAsync(BuildArguments(input, source, [p], request, fps), cancellationToken: cancellationToken)));
        }

        encoding.Stop();
        // Rungs are verified and segmented side by side: each step is a short, mostly single-threaded ffmpeg or ffprobe run
        // with its own start-up cost, so one rung at a time would leave a core idle.
        var renditions = await Task.WhenAll(plans.Select(plan => FinishRungAsync(plan, source, request, cancellationToken)));

        var master = Path.Combine(output, MasterName);
        var playlist = new HlsMasterPlaylist([.. renditions.Select(r => r.Variant)]) { IFrameVariants = [.. renditions.Select(r => r.IFrameVariant).OfType<HlsIFrameVariant>()] };
        await File.WriteAllTextAsync(master, playlist.Render(), cancellationToken);
        return new LadderResult { MasterPlaylistPath = master, Renditions = renditions, SkippedRungs = [.. wanted.Except(kept)], EncodeDuration = encoding.Elapsed };
    }

    private async Task<LadderRendition> FinishRungAsync(RungPlan plan, StreamSignature source, LadderRequest request, CancellationToken cancellationToken)
    {
        var decision = EncodingDecision.Encode(true, source.HasAudio, $"{plan.Rung.ShortSide}p rung encoded at {plan.Rung.VideoKbps} kbit/s {(request.Mode == LadderProcessMode.OneProcess ? "from one shared decode, with the audio encoded once for all rungs" : "in its own process")}");
        var mp4 = await verifier.VerifyAsync(
            plan.Mp4,
            new ExpectedOutput { Duration = source.Duration, Tolerance = TimeSpan.FromSeconds(0.5), Video = true, Audio = source.HasAudio, Width = plan.Width, Height = plan.Height },
            decision,
            cancellationToken);
        var rungSignature = await reader.SignatureAsync(plan.Mp4, cancellationToken);
        var hlsDecision = await hls.WriteAsync(plan.Mp4, rungSignature, plan.Folder, request.SegmentType, request.SegmentDuration, cancellationToken);
        var packaged = await hls.VerifyAsync(plan.Folder, rungSignature, hlsDecision, cancellationToken);
        var codecs = await CodecsAsync(plan.Mp4, rungSignature, cancellationToken);
        var variant = new HlsVariant
        {
            Bandwidth = PeakBitsPerSecond(plan.Folder, packaged.Parsed),
            AverageBandwidth = AverageBitsPerSecond(plan.Folder, packaged.Parsed),
            Width = plan.Width,
            Height = plan.Height,
            Codecs = codecs,
            FrameRate = Math.Round(rungSignature.FrameRate, 3),
            Uri = $"{plan.Rung.ShortSide}p/{HlsPackager.PlaylistName}",
        };

        // An fMP4 rung gets none: its segment is one fragment, and a byte range cannot take a key frame out of a fragment.
        if (request.SegmentType != HlsSegmentType.Ts)
        {
            return new LadderRendition(plan.Rung, mp4, packaged, variant);
        }

        var index = await iFrames.WriteAsync(plan.Folder, packaged.Parsed, cancellationToken);
        var iFrameVariant = new HlsIFrameVariant
        {
            Bandwidth = index.PeakBitsPerSecond,
            AverageBandwidth = index.AverageBitsPerSecond,
            Width = plan.Width,
            Height = plan.Height,
            Codecs = codecs.Split(',')[0],
            Uri = $"{plan.Rung.ShortSide}p/{HlsIFramePlaylist.Name}",
        };
        return new LadderRendition(plan.Rung, mp4, packaged, variant) { IFrames = index, IFrameVariant = iFrameVariant };
    }

    /// <summary>
    /// Into how many equal parts of at most 2 s a segment is cut by key frames (6 s segments: 3, one every 2 s), so that
    /// every segment boundary is one. Apple's HLS authoring specification asks for key frames every 2 s: a seek lands
    /// at most 2 s from one, and the I-frame playlist has a frame per 2 s for trick play.
    /// </summary>
    internal static int KeyframesPerSegment(TimeSpan segment)
        => (int)Math.Max(1, Math.Ceiling((segment.TotalSeconds / 2) - 1e-9));

    /// <summary>Keeps the aspect: the rung names the short side; the long side is scaled and rounded to an even number.</summary>
    internal static (int Width, int Height) Dimensions(int shortSide, int sourceWidth, int sourceHeight)
    {
        static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2) * 2);
        return sourceWidth >= sourceHeight
            ? (Even((double)shortSide * sourceWidth / sourceHeight), shortSide)
            : (shortSide, Even((double)shortSide * sourceHeight / sourceWidth));
    }

    /// <summary>RFC 6381 codecs string: avc1.PPCCLL from the avcC's profile, constraint flags and level; mp4a.40.N from the AAC profile.</summary>
    internal async Task<string> CodecsAsync(string mp4, StreamSignature signature, CancellationToken cancellationToken)
    {
        var extradata = await reader.VideoExtradataAsync(mp4, cancellationToken);
        if (extradata.Length < 4 || extradata[0] != 1)
        {
            throw new OutputVerificationException(mp4, "no avcC in the rendition; cannot state CODECS");
        }

        var video = $"avc1.{extradata[1]:x2}{extradata[2]:x2}{extradata[3]:x2}";
        if (!signature.HasAudio)
        {
            return video;
        }

        var objectType = signature.AudioProfile switch
        {
            "HE-AAC" => 5,
            "HE-AACv2" => 29,
            _ => 2,
        };
        return $"{video},mp4a.40.{objectType}";
    }

    private static long PeakBitsPerSecond(string folder, HlsMediaPlaylist playlist)
        => playlist.Segments.Max(s => (long)Math.Ceiling(new FileInfo(Path.Combine(folder, s.Uri)).Length * 8 / Math.Max(s.Duration, 0.1)));

    private static long AverageBitsPerSecond(string folder, HlsMediaPlaylist playlist)
        => (long)Math.Ceiling(playlist.Segments.Sum(s => new FileInfo(Path.Combine(folder, s.Uri)).Length) * 8 / Math.Max(playlist.TotalDuration, 0.1));

    private static RungPlan Plan(int shortSide, StreamSignature source, IReadOnlyList<LadderRung> bitrates, string output)
    {
        var rung = bitrates.FirstOrDefault(b => b.ShortSide == shortSide) ?? LadderRung.For(shortSide);
        var (width, height) = Dimensions(shortSide, source.Width, source.Height);
        var folder = Path.Combine(output, $"{shortSide}p");
        return new RungPlan(rung, width, height, folder, Path.Combine(folder, $"{shortSide}p.mp4"));
    }

    private static List<string> BuildArguments(string input, StreamSignature source, IReadOnlyList<RungPlan> plans, LadderRequest request, double fps)
    {
        var parts = KeyframesPerSegment(request.SegmentDuration);
        var segment = request.SegmentDuration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        // x264's own interval is never shorter than the forced one's, so the forced key frames alone set the grid.
        var gop = Math.Max(1, (int)Math.Ceiling(fps * request.SegmentDuration.TotalSeconds / parts)).ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", LocalMediaPath.AsFfmpegInput(input) };
        arguments.AddRange(["-filter_complex_threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), "-filter_complex", ScaleCascade(plans)]);
        for (var i = 0; i < plans.Count; i++)
        {
            arguments.AddRange(["-map", $"[v{i}]"]);
        }

        arguments.AddRange([
            "-c:v", "libx264", "-preset", request.X264Preset, "-profile:v", "high",
            // Same keyframe grid in every rung: a player can switch renditions at every segment boundary. The product comes
            // before the division so that every segment boundary is exact (3*5/3 is 5; 3*1.666667 is not).
            "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-force_key_frames", $"expr:gte(t,n_forced*{segment}/{parts})",
        ]);
        if (Environment.ProcessorCount < 4)
        {
            // Below 4 cores x264 gives each encoder's lookahead one thread. In one process that thread of the largest rung
            // is a serial step every rung waits on (busy 2.2 of 6 s on bench/Media's 12 s 720p source); two, what x264
            // picks itself from 4 cores up, took that one-process encode from 6.7-7.3 s to 5.9-6.4 s.
            arguments.AddRange(["-x264-params", "lookahead-threads=2"]);
        }

        for (var i = 0; i < plans.Count; i++)
        {
            var rung = plans[i].Rung;
            arguments.AddRange([$"-b:v:{i}", $"{rung.VideoKbps}k", $"-maxrate:v:{i}", $"{rung.MaxRateKbps}k", $"-bufsize:v:{i}", $"{rung.BufferKbits}k"]);
        }

        if (source.HasAudio)
        {
            // One AAC encode for all rungs (Apple's authoring guide likewise gives all variants one audio rendition): the
            // sound does not shrink with the picture, and each further encode would run on ffmpeg 5.1's main thread beside
            // the filter graph (0.5 CPU s each for the bench's 12 s).
            arguments.AddRange(["-map", "0:a:0", "-c:a", "aac", "-b:a", $"{request.AudioKbps}k", "-ac", "2"]);
        }

        if (plans.Count == 1)
        {
            arguments.AddRange(["-movflags", "+faststart", plans[0].Mp4]);
        }
        else
        {
            // The tee muxer writes the one audio stream into every rung's MP4 beside that rung's video.
            arguments.AddRange(["-f", "tee", string.Join('|', plans.Select((plan, i) => TeeOutput(i, source.HasAudio, plan.Mp4)))]);
        }

        return arguments;
    }

    /// <summary>
    /// A cascade, largest rung first: each rung is scaled from the one above it rather than from the source, so the
    /// smaller scales read fewer pixels (720p -> 480p -> 240p). Output [vN] is plans[N].
    /// </summary>
    private static string ScaleCascade(IReadOnlyList<RungPlan> plans)
    {
        var graph = new StringBuilder();
        var from = "[0:v:0]";
        var largestFirst = plans.Select((plan, index) => (plan, index)).OrderByDescending(p => p.plan.Width * p.plan.Height).ToList();
        for (var k = 0; k < largestFirst.Count; k++)
        {
            var (plan, index) = largestFirst[k];
            graph.Append(CultureInfo.InvariantCulture, $"{from}scale={plan.Width}:{plan.Height},setsar=1,format=yuv420p");
            if (k < largestFirst.Count - 1)
            {
                graph.Append(CultureInfo.InvariantCulture, $",split=2[v{index}][from{k}];");
                from = $"[from{k}]";
            }
            else
            {
                graph.Append(CultureInfo.InvariantCulture, $"[v{index}]");
            }
        }

        return graph.ToString();
    }

    /// <summary>
    /// One output of the tee muxer: the video stream of rung <paramref name="videoIndex"/> and the audio, as a faststart
    /// MP4. The path is quoted for the tee's own parser ('|' separates outputs) and read as a local file.
    /// </summary>
    private static string TeeOutput(int videoIndex, bool withAudio, string path)
        => $"[select=\\'v:{videoIndex}{(withAudio ? ",a" : "")}\\':f=mp4:movflags=+faststart]'{LocalMediaPath.AsFfmpegInput(path).Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private sealed record RungPlan(LadderRung Rung, int Width, int Height, string Folder, string Mp4);
}
