using System.Globalization;
using System.Text;
using Recording.Media.Ffmpeg;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// Builds an HLS VOD (MPEG-TS segments) piece by piece while a recording goes on: each capture segment is packaged as
/// soon as it closes (<see cref="PackageSegmentAsync"/>), moved to its place on the VOD's timeline so that pieces follow
/// each other without a discontinuity, and at the end only the playlist is written (<see cref="FinishAsync"/>).
/// All pieces share one output folder; their files are s{index:D5}_{n:D5}.ts. Video is only ever copied: a segment whose
/// video is not H.264 is refused (<see cref="TranscodeRequiredException"/>).
/// </summary>
public sealed class IncrementalHlsPackager
{
    /// <summary>The version ffmpeg's HLS muxer writes with independent_segments; matched so that both packagers write alike.</summary>
    private const int PlaylistVersion = 6;

    private readonly FfmpegRunner runner;
    private readonly FfprobeReader reader;
    private readonly OutputVerifier verifier;
    private readonly DecodeCheck decoder;
    private readonly HlsPieceJoinCheck joinCheck;

    /// <param name="segmentDuration">Wanted HLS segment length, 1 to 60 seconds (6 by default); copied segments end on the next keyframe after it.</param>
    public IncrementalHlsPackager(TimeSpan? segmentDuration = null, FfmpegOptions? ffmpeg = null)
    {
        SegmentDuration = segmentDuration ?? TimeSpan.FromSeconds(6);
        HlsMuxerArguments.ValidateSegmentDuration(SegmentDuration);
        runner = new FfmpegRunner(ffmpeg);
        reader = new FfprobeReader(ffmpeg);
        verifier = new OutputVerifier(ffmpeg);
        decoder = new DecodeCheck(ffmpeg);
        joinCheck = new HlsPieceJoinCheck(ffmpeg);
    }

    public TimeSpan SegmentDuration { get; }

    /// <summary>The name of HLS segment <paramref name="number"/> of piece <paramref name="index"/>.</summary>
    public static string SegmentFileName(int index, int number)
        => string.Create(CultureInfo.InvariantCulture, $"s{index:D5}_{number:D5}.ts");

    /// <summary>
    /// Packages one capture segment (any file ffmpeg reads; H.264/AAC copied, anything else re-encoded) as piece
    /// <paramref name="index"/> starting at <paramref name="start"/> on the VOD's timeline, and verifies it: every file
    /// exists, and its start decodes and continues the previous piece in the folder (<see cref="HlsPieceJoinCheck"/>).
    /// Safe to run again for the same index: that index's earlier files are deleted first. Never writes index.m3u8.
    /// </summary>
    public async Task<HlsPiece> PackageSegmentAsync(string segmentPath, int index, TimeSpan start, string outputDirectory, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(segmentPath) || !File.Exists(segmentPath))
        {
            throw new MediaInputException("segmentPath", $"file '{segmentPath}' does not exist");
        }

        if (index < 0)
        {
            throw new MediaInputException("index", "must not be negative");
        }

        if (start < TimeSpan.Zero)
        {
            throw new MediaInputException("start", "must not be negative");
        }

        var output = PackagingInput.PrepareOutputDirectory(outputDirectory);
        var stem = string.Create(CultureInfo.InvariantCulture, $"s{index:D5}");
        foreach (var earlier in Directory.EnumerateFiles(output, stem + "_*"))
        {
            // A retried activity: what a crashed run left (perhaps more segments than this run will write) must not survive.
            File.Delete(earlier);
        }

        var input = Path.GetFullPath(segmentPath);
        var source = await reader.SignatureAsync(input, cancellationToken);
        if (!source.HasVideo && !source.HasAudio)
        {
            throw new MediaInputException("segmentPath", "has neither video nor audio");
        }

        // A capture segment keeps its place on the capture run's timeline; its first keyframe (or first audio frame)
        // is moved to start, and every other packet by the same amount, so pieces of one run join exactly.
        var anchor = (source.HasVideo ? source.VideoStartTime : source.AudioStartTime) ?? source.StartTime;
        var decision = HlsMuxerArguments.Decide(source);
        if (decision.Video == StreamHandling.ReEncoded)
        {
            // A video encode is media-job work, never a step beside a live recording; the caller packages such a VOD after the
            // stop (the service in a media job). Audio that is not AAC is re-encoded here: it costs a hundredth of a video encode.
            throw new TranscodeRequiredException(input, decision.Reason);
        }

        using var scratch = new ScratchFolder("hls-piece-");
        var playlist = Path.Combine(scratch.FullName, stem + ".m3u8");
        await runner.RunAsync(
            HlsMuxerArguments.Build(input, decision, output, stem, playlist, HlsSegmentType.Ts, SegmentDuration, start - anchor),
            cancellationToken: cancellationToken);

        var parsed = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(playlist, cancellationToken));
        var segments = parsed.Segments.Select(s => s with { Uri = Path.GetFileName(s.Uri) }).ToList();
        if (segments.Count == 0)
        {
            throw new OutputVerificationException(playlist, $"piece {index} has no segments");
        }

        foreach (var segment in segments)
        {
            if (!File.Exists(Path.Combine(output, segment.Uri)) || new FileInfo(Path.Combine(output, segment.Uri)).Length == 0)
            {
                throw new OutputVerificationException(Path.Combine(output, segment.Uri), $"segment {segment.Uri} of piece {index} is listed but missing or empty");
            }
        }

        await joinCheck.VerifyAsync(output, index, segments[0].Uri, source.HasVideo, scratch.FullName, cancellationToken);
        return new HlsPiece
        {
            Index = index,
            Segments = segments,
            Start = start,
            Duration = TimeSpan.FromSeconds(segments.Sum(s => s.Duration)),
            CodecKey = source.CodecKey,
            Encoding = decision,
        };
    }

    /// <summary>
    /// Writes index.m3u8 over <paramref name="pieces"/> (in Index order; #EXT-X-DISCONTINUITY where the codec parameters
    /// change) and verifies the VOD in time that grows only with the playlist's length: its rules, that every listed
    /// file exists, its duration and streams under ffprobe, and a decode through the playlist around the last join.
    /// </summary>
    public async Task<HlsPackageResult> FinishAsync(IReadOnlyList<HlsPiece> pieces, string outputDirectory, IReadOnlyCollection<int>? closedSegments = null, CancellationToken cancellationToken = default)
    {
        if (pieces is null || pieces.Count == 0)
        {
            throw new MediaInputException("pieces", "must hold at least one piece");
        }

        var ordered = pieces.OrderBy(p => p.Index).ToList();
        if (ordered.Zip(ordered.Skip(1)).FirstOrDefault(p => p.First.Index == p.Second.Index) is { First: { } twice })
        {
            throw new MediaInputException("pieces", $"index {twice.Index} appears more than once");
        }

        var output = PackagingInput.PrepareOutputDirectory(outputDirectory);
        var path = Path.Combine(output, HlsPackager.PlaylistName);
        if (WhyNotWhole(ordered, closedSegments) is { } broken)
        {
            throw new OutputVerificationException(path, broken);
        }

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, PlaylistText(ordered), cancellationToken);
        // A reader (or an upload) sees the old playlist or the new one, never half of one.
        File.Move(temporary, path, overwrite: true);
        return await VerifyAsync(output, path, ordered, cancellationToken);
    }

    /// <summary>
    /// Why the pieces in index order do not make one VOD, or null when they do: each must begin where the one before it ends
    /// (a piece packaged before an earlier one was placed after the wrong piece), and given <paramref name="closedSegments"/>
    /// (the indices in the capture's manifest) there must be a piece for every one of them.
    /// </summary>
    internal static string? WhyNotWhole(IReadOnlyList<HlsPiece> ordered, IReadOnlyCollection<int>? closedSegments)
    {
        var expectedStart = TimeSpan.Zero;
        foreach (var piece in ordered)
        {
            if (Math.Abs((piece.Start - expectedStart).TotalMilliseconds) > 1)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"piece {piece.Index} begins at {piece.Start.TotalSeconds:0.###} s on the VOD's timeline, not where the pieces before it end ({expectedStart.TotalSeconds:0.###} s)");
            }

            expectedStart = piece.End;
        }

        var missing = closedSegments?.Except(ordered.Select(p => p.Index)).Order().ToList() ?? [];
        return missing.Count == 0 ? null : $"there is no piece for segment(s) {string.Join(", ", missing)} of the capture's {closedSegments!.Count}";
    }

    internal static string PlaylistText(IReadOnlyList<HlsPiece> ordered)
    {
        var target = new HlsMediaPlaylist { Segments = [.. ordered.SelectMany(p => p.Segments)] }.RequiredTargetDuration;
        var text = new StringBuilder();
        text.Append("#EXTM3U\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-VERSION:{PlaylistVersion}\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{target}\n");
        text.Append("#EXT-X-MEDIA-SEQUENCE:0\n");
        text.Append("#EXT-X-PLAYLIST-TYPE:VOD\n");
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        HlsPiece? previous = null;
        foreach (var piece in ordered)
        {
            if (previous is not null && previous.CodecKey != piece.CodecKey)
            {
                // Timestamps still run on; the player is told to reset its decoder for the new parameters.
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            foreach (var segment in piece.Segments)
            {
                text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segment.Duration:0.000000},\n{segment.Uri}\n");
            }

            previous = piece;
        }

        text.Append("#EXT-X-ENDLIST\n");
        return text.ToString();
    }

    private async Task<HlsPackageResult> VerifyAsync(string output, string path, List<HlsPiece> ordered, CancellationToken cancellationToken)
    {
        var parsed = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        if (parsed.PlaylistType != "VOD" || !parsed.EndList || parsed.Segments.Count == 0)
        {
            throw new OutputVerificationException(path, "an HLS VOD needs #EXT-X-PLAYLIST-TYPE:VOD, #EXT-X-ENDLIST and at least one segment");
        }

        if (parsed.TargetDuration < parsed.RequiredTargetDuration)
        {
            throw new OutputVerificationException(path, $"target duration {parsed.TargetDuration} is below the longest segment");
        }

        var expected = TimeSpan.FromSeconds(ordered.Sum(p => p.Duration.TotalSeconds));
        if (Math.Abs(parsed.TotalDuration - expected.TotalSeconds) > 0.001 * parsed.Segments.Count)
        {
            throw new OutputVerificationException(path, string.Create(CultureInfo.InvariantCulture,
                $"lists {parsed.TotalDuration:0.###} s, but its pieces last {expected.TotalSeconds:0.###} s"));
        }

        long bytes = 0;
        foreach (var uri in parsed.Segments.Select(s => s.Uri).Append(HlsPackager.PlaylistName))
        {
            var file = new FileInfo(Path.Combine(output, uri));
            if (!file.Exists)
            {
                throw new OutputVerificationException(path, $"segment {uri} is listed but missing");
            }

            bytes += file.Length;
        }

        var encoding = Combine(ordered);
        // ffprobe reads the playlist and the first segment only; earlier joins were checked as their pieces were packaged.
        var verified = await verifier.VerifyAsync(
            path,
            new ExpectedOutput
            {
                Duration = expected,
                Tolerance = TimeSpan.FromSeconds(0.1),
                Video = ordered[0].Encoding.Video != StreamHandling.None,
                Audio = ordered[0].Encoding.Audio != StreamHandling.None,
                SkipDecode = true,
            },
            encoding,
            cancellationToken);

        // Into the last piece as a player reaches it: through the playlist, at its position there (the sum of what comes before).
        var join = TimeSpan.FromSeconds(ordered.Take(ordered.Count - 1).Sum(p => p.Duration.TotalSeconds));
        var decode = await decoder.RunWindowsAsync(path, expected, [join], includeStart: false, cancellationToken);
        if (!decode.IsClean)
        {
            throw new OutputVerificationException(path, "the join into the last piece does not decode cleanly: " + string.Join(" | ", decode.Errors.Take(5)));
        }

        return new HlsPackageResult { Playlist = verified with { Bytes = bytes }, Parsed = parsed };
    }

    /// <summary>One decision for the whole VOD: a stream counts as re-encoded if any piece re-encoded it.</summary>
    private static EncodingDecision Combine(List<HlsPiece> pieces)
    {
        var decisions = pieces.Select(p => p.Encoding).ToList();
        static StreamHandling Worst(IEnumerable<StreamHandling> all)
            => all.Contains(StreamHandling.ReEncoded) ? StreamHandling.ReEncoded : all.Contains(StreamHandling.Copied) ? StreamHandling.Copied : StreamHandling.None;

        var reasons = decisions.Select(d => d.Reason).Distinct().ToList();
        return new EncodingDecision(
            Worst(decisions.Select(d => d.Video)),
            Worst(decisions.Select(d => d.Audio)),
            reasons.Count == 1 ? reasons[0] : string.Join(" / ", pieces.Select(p => $"piece {p.Index}: {p.Encoding.Reason}")));
    }
}
