using System.Globalization;
using System.Text;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Verification;

namespace Recording.Media.Splice;

/// <summary>
/// Joins the segments of a manifest into one file. Streams are copied whenever every piece carries the same codec
/// parameters (codec, size, pixel format, SPS/PPS; codec, rate, channels, AudioSpecificConfig); otherwise only the
/// stream kind that differs is re-encoded, through the concat filter, while the other is still copied.
/// </summary>
public sealed class SegmentSplicer
{
    private readonly FfmpegRunner runner;
    private readonly FfprobeReader reader;
    private readonly OutputVerifier verifier;
    private readonly SpliceOptions options;

    public SegmentSplicer(FfmpegOptions? ffmpeg = null, SpliceOptions? options = null)
    {
        runner = new FfmpegRunner(ffmpeg);
        reader = new FfprobeReader(ffmpeg);
        verifier = new OutputVerifier(ffmpeg);
        this.options = options ?? new SpliceOptions();
    }

    public async Task<SpliceResult> SpliceAsync(SpliceRequest request, CancellationToken cancellationToken = default)
    {
        var output = ValidateOutput(request.OutputPath);
        var manifest = await LoadedManifest.LoadAsync(request.Manifest, cancellationToken);
        Validation.LocalMediaPath.RefuseInputAsOutput(output, manifest.Paths);
        return await SpliceAsync(manifest, output, request.Gaps, cancellationToken);
    }

    /// <summary>
    /// How <see cref="SpliceAsync(SpliceRequest, CancellationToken)"/> would treat each stream, from the segments alone (gap
    /// fillers are made to the segments' own parameters): a caller sends a splice that must re-encode to a media job.
    /// </summary>
    public async Task<EncodingDecision> PlanAsync(string manifestPath, CancellationToken cancellationToken = default)
    {
        var manifest = await LoadedManifest.LoadAsync(manifestPath, cancellationToken);
        using var segments = await StandaloneSegments.PrepareAsync(manifest, runner, options.WorkingDirectory, cancellationToken);
        var signatures = await reader.SignaturesAsync(segments.Paths, cancellationToken);
        return Decide([.. segments.Paths.Select((p, i) => new Piece(p, signatures[i], false))], StreamSignature.Union(signatures), hasFillers: false);
    }

    /// <summary>Splices an already loaded manifest (the HLS packager reuses this to turn a manifest into one input).</summary>
    public async Task<SpliceResult> SpliceAsync(LoadedManifest manifest, string outputPath, GapPolicy gaps, CancellationToken cancellationToken = default)
    {
        using var work = new ScratchFolder("splice-", options.WorkingDirectory);
        using var segments = await StandaloneSegments.PrepareAsync(manifest, runner, options.WorkingDirectory, cancellationToken);
        {
            var signatures = await reader.SignaturesAsync(segments.Paths, cancellationToken);
            var pieces = segments.Paths.Select((p, i) => new Piece(p, signatures[i], false)).ToList();
            var reference = StreamSignature.Union(signatures);

            var filled = 0;
            var filledDuration = TimeSpan.Zero;
            if (gaps == GapPolicy.Fill && manifest.Manifest.Gaps.Count > 0)
            {
                foreach (var gap in manifest.Manifest.Gaps.OrderByDescending(g => g.AfterIndex))
                {
                    var length = gap.EndedAt - gap.StartedAt;
                    if (length <= TimeSpan.Zero)
                    {
                        continue;
                    }

                    var after = manifest.Segments.ToList().FindIndex(s => s.Index == gap.AfterIndex);
                    if (after < 0 || after == manifest.Segments.Count - 1)
                    {
                        continue;
                    }

                    var filler = await WriteFillerAsync(work.FullName, reference, segments.Paths[0], length, filled, cancellationToken);
                    pieces.Insert(after + 1, new Piece(filler, await reader.SignatureAsync(filler, cancellationToken), true));
                    filled++;
                    filledDuration += length;
                }
            }

            var decision = Decide(pieces, reference, filled > 0);
            var arguments = await BuildArgumentsAsync(pieces, reference, decision, outputPath, work.FullName, cancellationToken);
            await runner.RunAsync(arguments, cancellationToken: cancellationToken);

            var expected = TimeSpan.FromSeconds(pieces.Sum(p => p.Signature.Duration.TotalSeconds));
            var verified = await verifier.VerifyAsync(
                outputPath,
                new ExpectedOutput
                {
                    Duration = expected,
                    Tolerance = TimeSpan.FromSeconds(0.5 + (0.05 * pieces.Count)),
                    Video = reference.HasVideo,
                    Audio = reference.HasAudio,
                    CopyJoins = Joins(pieces),
                },
                decision,
                cancellationToken);
            return new SpliceResult { Output = verified, SegmentCount = manifest.Segments.Count, GapsFilled = filled, GapsFilledDuration = filledDuration };
        }
    }

    /// <summary>Where each piece after the first begins in the output.</summary>
    private static List<TimeSpan> Joins(IReadOnlyList<Piece> pieces)
    {
        var joins = new List<TimeSpan>();
        var at = TimeSpan.Zero;
        foreach (var piece in pieces.SkipLast(1))
        {
            at += piece.Signature.Duration;
            joins.Add(at);
        }

        return joins;
    }

    internal static string ValidateOutput(string? outputPath)
    {
        if (string.IsNullOrWhiteSpace(outputPath))
        {
            throw new Validation.MediaInputException("output", "must be a file path");
        }

        var extension = Path.GetExtension(outputPath).ToLowerInvariant();
        if (extension is not (".mp4" or ".mov" or ".m4a" or ".mkv" or ".ts"))
        {
            throw new Validation.MediaInputException("output", "must end in .mp4, .mov, .m4a, .mkv or .ts");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(folder);
        return Path.GetFullPath(outputPath);
    }

    /// <summary>
    /// A stream is copied when every piece has it with the reference's parameters, and re-encoded when one differs. When
    /// a piece lacks a stream (an audio-only segment), both are re-encoded: the concat demuxer joins streams by position,
    /// so its copy would put that piece's audio where the others have video, or drop it.
    /// </summary>
    private static EncodingDecision Decide(IReadOnlyList<Piece> pieces, StreamSignature reference, bool hasFillers)
    {
        var layoutOdd = pieces.FirstOrDefault(p => p.Signature.HasVideo != reference.HasVideo || p.Signature.HasAudio != reference.HasAudio);
        var videoOdd = layoutOdd ?? pieces.FirstOrDefault(p => reference.HasVideo && !reference.VideoMatches(p.Signature));
        var audioOdd = layoutOdd ?? pieces.FirstOrDefault(p => reference.HasAudio && !reference.AudioMatches(p.Signature));
        var video = !reference.HasVideo ? StreamHandling.None : videoOdd is null ? StreamHandling.Copied : StreamHandling.ReEncoded;
        var audio = !reference.HasAudio ? StreamHandling.None : audioOdd is null ? StreamHandling.Copied : StreamHandling.ReEncoded;
        var reasons = new List<string>();
        if (layoutOdd is not null)
        {
            reasons.Add($"video and audio re-encoded: streams differ, {Describe(reference)} vs {Describe(layoutOdd.Signature)} in {Path.GetFileName(layoutOdd.Path)}");
        }
        else
        {
            reasons.Add(videoOdd is null ? "video copied" : $"video re-encoded: {reference.DescribeVideoDifference(videoOdd.Signature)}{(videoOdd.IsFiller ? " (gap filler)" : string.Empty)}");
            reasons.Add(audioOdd is null ? "audio copied" : $"audio re-encoded: {reference.DescribeAudioDifference(audioOdd.Signature)}{(audioOdd.IsFiller ? " (gap filler)" : string.Empty)}");
        }

        if (hasFillers)
        {
            reasons.Add(video == StreamHandling.Copied ? "gap fillers encoded to the segments' parameters and copied in" : "gap fillers could not match the segments' codec parameters");
        }

        return new EncodingDecision(video, audio, string.Join("; ", reasons));
    }

    private static string Describe(StreamSignature signature)
        => (signature.HasVideo, signature.HasAudio) switch
        {
            (true, true) => "video and audio",
            (true, false) => "video only",
            (false, true) => "audio only",
            _ => "no streams",
        };

    private async Task<List<string>> BuildArgumentsAsync(IReadOnlyList<Piece> pieces, StreamSignature reference, EncodingDecision decision, string outputPath, string work, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        var anyCopy = decision.Video == StreamHandling.Copied || decision.Audio == StreamHandling.Copied;
        var anyEncode = decision.Video == StreamHandling.ReEncoded || decision.Audio == StreamHandling.ReEncoded;
        var firstFilterInput = 0;
        if (anyCopy)
        {
            var list = await ConcatListFile.WriteAsync(Path.Combine(work, "segments.ffconcat"), pieces.Select(p => new ConcatEntry(p.Path)), cancellationToken);
            arguments.AddRange(ConcatListFile.InputArguments(list));
            firstFilterInput = 1;
        }

        if (anyEncode)
        {
            foreach (var piece in pieces)
            {
                arguments.AddRange(["-i", Validation.LocalMediaPath.AsFfmpegInput(piece.Path)]);
            }

            var graph = new StringBuilder();
            var fps = FormatRate(reference.FrameRate > 0 ? reference.FrameRate : 25);
            var (width, height) = (EvenSize(reference.Width), EvenSize(reference.Height));
            var layout = reference.Channels == 1 ? "mono" : "stereo";
            for (var i = 0; i < pieces.Count; i++)
            {
                var input = firstFilterInput + i;
                var s = pieces[i].Signature;
                if (decision.Video == StreamHandling.ReEncoded)
                {
                    graph.Append(s.HasVideo
                        ? $"[{input}:v:0]scale={width}:{height}:force_original_aspect_ratio=decrease,pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={fps},format=yuv420p[v{i}];"
                        : $"color=c=black:s={width}x{height}:r={fps},trim=duration={Seconds(s.Duration)},format=yuv420p[v{i}];");
                }

                if (decision.Audio == StreamHandling.ReEncoded)
                {
                    graph.Append(s.HasAudio
                        ? $"[{input}:a:0]aresample={reference.SampleRate},aformat=sample_fmts=fltp:channel_layouts={layout}[a{i}];"
                        : $"anullsrc=r={reference.SampleRate}:cl={layout},atrim=duration={Seconds(s.Duration)},aformat=sample_fmts=fltp[a{i}];");
                }
            }

            var v = decision.Video == StreamHandling.ReEncoded;
            var a = decision.Audio == StreamHandling.ReEncoded;
            for (var i = 0; i < pieces.Count; i++)
            {
                graph.Append(v ? $"[v{i}]" : string.Empty).Append(a ? $"[a{i}]" : string.Empty);
            }

            graph.Append(CultureInfo.InvariantCulture, $"concat=n={pieces.Count}:v={(v ? 1 : 0)}:a={(a ? 1 : 0)}");
            graph.Append(v ? "[v]" : string.Empty).Append(a ? "[a]" : string.Empty);
            arguments.AddRange(["-filter_complex", graph.ToString()]);
        }

        switch (decision.Video)
        {
            case StreamHandling.Copied:
                arguments.AddRange(["-map", "0:v:0", "-c:v", "copy"]);
                break;
            case StreamHandling.ReEncoded:
                arguments.AddRange(["-map", "[v]", "-c:v", "libx264", "-preset", options.X264Preset, "-crf", options.Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p"]);
                break;
        }

        switch (decision.Audio)
        {
            case StreamHandling.Copied:
                arguments.AddRange(["-map", "0:a:0", "-c:a", "copy"]);
                if (reference.AudioCodec == "aac" && IsMp4Family(outputPath))
                {
                    // MPEG-TS carries AAC with ADTS headers; MP4 wants raw frames plus an AudioSpecificConfig.
                    arguments.AddRange(["-bsf:a", "aac_adtstoasc"]);
                }

                break;
            case StreamHandling.ReEncoded:
                arguments.AddRange(["-map", "[a]", "-c:a", "aac", "-b:a", $"{options.AudioBitrateKbps}k"]);
                break;
        }

        if (IsMp4Family(outputPath))
        {
            arguments.AddRange(["-movflags", "+faststart"]);
        }

        arguments.Add(outputPath);
        return arguments;
    }

    private async Task<string> WriteFillerAsync(string work, StreamSignature reference, string referencePath, TimeSpan length, int number, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(referencePath);
        var path = Path.Combine(work, $"gap-{number:D3}{extension}");
        var duration = Seconds(length);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        if (reference.HasVideo)
        {
            arguments.AddRange(["-f", "lavfi", "-i", $"color=c=black:s={EvenSize(reference.Width)}x{EvenSize(reference.Height)}:r={FormatRate(reference.FrameRate > 0 ? reference.FrameRate : 25)}:d={duration}"]);
        }

        if (reference.HasAudio)
        {
            arguments.AddRange(["-f", "lavfi", "-i", $"anullsrc=r={reference.SampleRate}:cl={(reference.Channels == 1 ? "mono" : "stereo")}"]);
        }

        arguments.AddRange(["-t", duration]);
        if (reference.HasVideo)
        {
            // Same encoder family and pixel format as the segments, so that the filler's SPS/PPS can match theirs and be copied in.
            arguments.AddRange(["-c:v", reference.VideoCodec == "hevc" ? "libx265" : "libx264", "-preset", "ultrafast", "-pix_fmt", reference.PixelFormat ?? "yuv420p"]);
        }

        if (reference.HasAudio)
        {
            arguments.AddRange(["-c:a", reference.AudioCodec == "opus" ? "libopus" : "aac", "-ar", reference.SampleRate.ToString(CultureInfo.InvariantCulture), "-ac", reference.Channels.ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.Add(path);
        await runner.RunAsync(arguments, cancellationToken: cancellationToken);
        return path;
    }

    /// <summary>4:2:0 H.264 has no odd dimensions: an encoded picture is rounded down to even ones (at least 2).</summary>
    internal static int EvenSize(int pixels) => Math.Max(2, pixels & ~1);

    internal static bool IsMp4Family(string path) => Path.GetExtension(path).ToLowerInvariant() is ".mp4" or ".mov" or ".m4a" or ".m4v";

    internal static string FormatRate(double fps)
        => Math.Abs(fps - Math.Round(fps)) < 0.01
            ? Math.Round(fps).ToString(CultureInfo.InvariantCulture)
            : Math.Abs(fps - 29.97) < 0.01 ? "30000/1001" : fps.ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private sealed record Piece(string Path, StreamSignature Signature, bool IsFiller);
}
