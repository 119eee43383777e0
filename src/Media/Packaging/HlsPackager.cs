using Recording.Media.Ffmpeg;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// Writes an HLS VOD with ffmpeg's HLS muxer: H.264/AAC sources are copied (segments then cut on their keyframes),
/// anything else is re-encoded to H.264/AAC with keyframes on the segment grid. The target duration is rewritten to the
/// ceiling of the longest segment, which the spec requires and which a copy-cut can push past the requested length.
/// </summary>
public sealed class HlsPackager
{
    public const string PlaylistName = "index.m3u8";

    private readonly FfmpegOptions? ffmpeg;
    private readonly FfmpegRunner runner;
    private readonly FfprobeReader reader;
    private readonly OutputVerifier verifier;

    public HlsPackager(FfmpegOptions? ffmpeg = null)
    {
        this.ffmpeg = ffmpeg;
        runner = new FfmpegRunner(ffmpeg);
        reader = new FfprobeReader(ffmpeg);
        verifier = new OutputVerifier(ffmpeg);
    }

    public async Task<HlsPackageResult> PackageAsync(HlsPackageRequest request, CancellationToken cancellationToken = default)
    {
        HlsMuxerArguments.ValidateSegmentDuration(request.SegmentDuration);

        var output = PackagingInput.PrepareOutputDirectory(request.OutputDirectory);
        using var scratch = new ScratchFolder("hls-");
        var input = await PackagingInput.ResolveAsync(request.Input, scratch.FullName, ffmpeg, cancellationToken);
        var source = await reader.SignatureAsync(input, cancellationToken);
        var decision = await WriteAsync(input, source, output, request.SegmentType, request.SegmentDuration, cancellationToken);
        return await VerifyAsync(output, source, decision, cancellationToken);
    }

    /// <summary>What <see cref="PackageAsync"/> would copy and what re-encode for a file: lets a caller send a re-encode to a media job.</summary>
    public async Task<EncodingDecision> PlanAsync(string inputFile, CancellationToken cancellationToken = default)
        => HlsMuxerArguments.Decide(await reader.SignatureAsync(inputFile, cancellationToken));

    /// <summary>Runs the HLS muxer over one input (copying H.264/AAC) and fixes the target duration; returns what it did.</summary>
    internal async Task<EncodingDecision> WriteAsync(string input, StreamSignature source, string output, HlsSegmentType type, TimeSpan segment, CancellationToken cancellationToken)
    {
        var decision = HlsMuxerArguments.Decide(source);
        var playlist = Path.Combine(output, PlaylistName);
        var arguments = HlsMuxerArguments.Build(input, decision, output, "segment", playlist, type, segment);
        await runner.RunAsync(arguments, cancellationToken: cancellationToken);
        await File.WriteAllTextAsync(playlist, HlsMediaPlaylist.WithRequiredTargetDuration(await File.ReadAllTextAsync(playlist, cancellationToken)), cancellationToken);

        return decision;
    }

    /// <summary>Parses the playlist, checks the VOD rules and that every segment exists, then reads it end to end (decoding all of it unless it was copied).</summary>
    internal async Task<HlsPackageResult> VerifyAsync(string output, StreamSignature source, EncodingDecision decision, CancellationToken cancellationToken)
    {
        var path = Path.Combine(output, PlaylistName);
        var parsed = HlsMediaPlaylist.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        if (parsed.PlaylistType != "VOD" || !parsed.EndList || parsed.Segments.Count == 0)
        {
            throw new OutputVerificationException(path, "an HLS VOD needs #EXT-X-PLAYLIST-TYPE:VOD, #EXT-X-ENDLIST and at least one segment");
        }

        if (parsed.TargetDuration < parsed.RequiredTargetDuration)
        {
            throw new OutputVerificationException(path, $"target duration {parsed.TargetDuration} is below the longest segment");
        }

        foreach (var uri in parsed.Segments.Select(s => s.Uri).Append(parsed.MapUri).OfType<string>())
        {
            if (!File.Exists(Path.Combine(output, uri)))
            {
                throw new OutputVerificationException(path, $"segment {uri} is listed but missing");
            }
        }

        var verified = await verifier.VerifyAsync(
            path,
            // A copy re-cuts the verified input at its own keyframes, so its joins are not new: the start is decoded, every packet read.
            new ExpectedOutput { Duration = source.Duration, Tolerance = TimeSpan.FromSeconds(1), Video = source.HasVideo, Audio = source.HasAudio, CopyJoins = [] },
            decision,
            cancellationToken);
        return new HlsPackageResult { Playlist = verified with { Bytes = parsed.Segments.Select(s => s.Uri).Append(parsed.MapUri).Append(PlaylistName).OfType<string>().Sum(f => new FileInfo(Path.Combine(output, f)).Length) }, Parsed = parsed };
    }
}
