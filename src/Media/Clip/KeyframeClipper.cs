using Recording.Media.Ffmpeg;
using Recording.Media.Splice;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Clip;

/// <summary>
/// Cuts a range from a manifest's segments by stream copy. Only the segments around the range are probed (a
/// <see cref="ClipWindow"/>), and the concat demuxer reads only those the range touches, the first from the keyframe at
/// or before the start (in point), the last up to the end (out point). Nothing is decoded, so the cost is that of
/// copying the bytes, and the start is as exact as the keyframe interval allows.
/// </summary>
public sealed class KeyframeClipper
{
    private const double Epsilon = 0.001;
    private readonly FfmpegRunner runner;
    private readonly FfprobeReader reader;
    private readonly OutputVerifier verifier;

    public KeyframeClipper(FfmpegOptions? ffmpeg = null)
    {
        runner = new FfmpegRunner(ffmpeg);
        reader = new FfprobeReader(ffmpeg);
        verifier = new OutputVerifier(ffmpeg);
    }

    public async Task<ClipResult> ClipAsync(ClipRequest request, CancellationToken cancellationToken = default)
    {
        if (request.From < TimeSpan.Zero)
        {
            throw new MediaInputException("from", "must not be negative");
        }

        if (request.To <= request.From)
        {
            throw new MediaInputException("to", "must be after from");
        }

        var output = SegmentSplicer.ValidateOutput(request.OutputPath);
        var manifest = await LoadedManifest.LoadAsync(request.Manifest, cancellationToken);
        LocalMediaPath.RefuseInputAsOutput(output, manifest.Paths);
        var (prepared, window, signatures) = await ReadWindowAsync(manifest, request.From.TotalSeconds, request.To.TotalSeconds, cancellationToken);
        using var segments = prepared;
        var inWindow = manifest.Segments.Skip(window.First).Take(window.Count).ToList();
        var starts = new double[signatures.Length];
        starts[0] = window.SecondsBefore;
        for (var i = 1; i < signatures.Length; i++)
        {
            starts[i] = starts[i - 1] + signatures[i - 1].Duration.TotalSeconds;
        }

        var total = starts[^1] + signatures[^1].Duration.TotalSeconds + window.SecondsAfter;
        var from = request.From.TotalSeconds;
        var to = Math.Min(request.To.TotalSeconds, total);
        if (from >= total)
        {
            throw new MediaInputException("from", $"must be before the end of the recording ({total:0.###} s)");
        }

        var first = LastIndexAtOrBefore(starts, from);
        var last = LastIndexAtOrBefore(starts, to - Epsilon);
        for (var i = first + 1; i <= last; i++)
        {
            if (!signatures[first].VideoMatches(signatures[i]) || !signatures[first].AudioMatches(signatures[i]))
            {
                throw new MediaInputException(
                    "to",
                    $"must not span segments {inWindow[first].Index} and {inWindow[i].Index}, which differ ({signatures[first].DescribeVideoDifference(signatures[i])}; {signatures[first].DescribeAudioDifference(signatures[i])}): a keyframe clip cannot join them without re-encoding; splice first");
            }
        }

        // Timeline positions are offsets into each file; the concat demuxer wants the file's own timestamps, which start at
        // the container's start time (an MP4 whose audio is primed or a TS segment does not start at 0).
        var keyframes = await reader.KeyframeTimesAsync(segments.Paths[first], cancellationToken);
        var fileStart = signatures[first].StartTime.TotalSeconds;
        var wantedFrom = fileStart + from - starts[first];

        // A keyframe up to one frame after the requested start is taken rather than going back a whole interval: the frame
        // shown at the requested time is then at most one frame away.
        var frame = signatures[first].FrameRate > 0 ? 1 / signatures[first].FrameRate : 0.04;
        var inPoint = keyframes.Count == 0 ? fileStart : keyframes.LastOrDefault(k => k <= wantedFrom + frame - Epsilon, keyframes[0]);
        var entries = new List<ConcatEntry>();
        for (var i = first; i <= last; i++)
        {
            var end = to - starts[i];
            entries.Add(new ConcatEntry(
                segments.Paths[i],
                i == first && inPoint > fileStart + Epsilon ? inPoint : null,
                i == last && end < signatures[i].Duration.TotalSeconds - Epsilon ? signatures[i].StartTime.TotalSeconds + end : null));
        }

        using var work = new ScratchFolder("clip-");
        var list = await ConcatListFile.WriteAsync(Path.Combine(work.FullName, "clip.ffconcat"), entries, cancellationToken);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        arguments.AddRange(ConcatListFile.InputArguments(list));
        arguments.AddRange(["-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy"]);
        if (signatures[first].AudioCodec == "aac" && SegmentSplicer.IsMp4Family(output))
        {
            arguments.AddRange(["-bsf:a", "aac_adtstoasc"]);
        }

        if (SegmentSplicer.IsMp4Family(output))
        {
            arguments.AddRange(["-movflags", "+faststart"]);
        }

        arguments.Add(output);
        await runner.RunAsync(arguments, cancellationToken: cancellationToken);

        var actualFrom = Math.Max(0, starts[first] + inPoint - fileStart);
        var verified = await verifier.VerifyAsync(
            output,
            new ExpectedOutput
            {
                Duration = TimeSpan.FromSeconds(to - actualFrom),
                Tolerance = TimeSpan.FromSeconds(0.5),
                Video = signatures[first].HasVideo,
                Audio = signatures[first].HasAudio,
            },
            EncodingDecision.Copy(signatures[first].HasVideo, signatures[first].HasAudio, $"cut on the keyframe at {inPoint - fileStart:0.###} s of segment {inWindow[first].Index} by stream copy"),
            cancellationToken);
        return new ClipResult
        {
            Output = verified,
            RequestedFrom = request.From,
            RequestedTo = request.To,
            ActualFrom = TimeSpan.FromSeconds(actualFrom),
            ActualTo = TimeSpan.FromSeconds(actualFrom) + verified.Duration,
            SegmentIndexes = [.. inWindow.Skip(first).Take(last - first + 1).Select(s => s.Index)],
        };
    }

    /// <summary>Prepares and probes the segments of the range's <see cref="ClipWindow"/>, or of the whole manifest where its durations are not the files'.</summary>
    private async Task<(StandaloneSegments Segments, ClipWindow Window, StreamSignature[] Signatures)> ReadWindowAsync(LoadedManifest manifest, double from, double to, CancellationToken cancellationToken)
    {
        var window = ClipWindow.Around(manifest.Segments, from, to);
        var (segments, signatures) = await ReadAsync(manifest, window, cancellationToken);
        if (window.Count == manifest.Segments.Count || window.Agrees(manifest.Segments, [.. signatures.Select(s => s.Duration.TotalSeconds)]))
        {
            return (segments, window, signatures);
        }

        segments.Dispose();
        window = ClipWindow.Everything(manifest.Segments.Count);
        (segments, signatures) = await ReadAsync(manifest, window, cancellationToken);
        return (segments, window, signatures);
    }

    private async Task<(StandaloneSegments Segments, StreamSignature[] Signatures)> ReadAsync(LoadedManifest manifest, ClipWindow window, CancellationToken cancellationToken)
    {
        var segments = await StandaloneSegments.PrepareAsync(manifest, window.First, window.Count, runner, null, cancellationToken);
        try
        {
            return (segments, await reader.SignaturesAsync(segments.Paths, cancellationToken));
        }
        catch
        {
            segments.Dispose();
            throw;
        }
    }

    private static int LastIndexAtOrBefore(double[] starts, double time)
    {
        var index = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            if (starts[i] <= time + Epsilon)
            {
                index = i;
            }
        }

        return index;
    }
}
