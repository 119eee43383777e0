using Recording.Media.Ffmpeg;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Compose;

/// <summary>Validates a timeline, probes its tracks, runs the one-process composite (see <see cref="CompositeGraphBuilder"/>) and verifies the output.</summary>
public sealed class TimelineCompositor
{
    private static readonly string[] FontCandidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    ];

    private readonly FfmpegRunner runner;
    private readonly FfprobeReader reader;
    private readonly OutputVerifier verifier;

    public TimelineCompositor(FfmpegOptions? ffmpeg = null)
    {
        runner = new FfmpegRunner(ffmpeg);
        reader = new FfprobeReader(ffmpeg);
        verifier = new OutputVerifier(ffmpeg);
    }

    public async Task<CompositeResult> ComposeAsync(CompositeRequest request, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(request, cancellationToken);
        try
        {
            await runner.RunAsync(plan.Arguments, cancellationToken: cancellationToken);
            var verified = await verifier.VerifyAsync(
                plan.OutputPath,
                new ExpectedOutput
                {
                    Duration = TimeSpan.FromSeconds(plan.Duration),
                    Tolerance = TimeSpan.FromSeconds(0.3),
                    Video = true,
                    Audio = true,
                    Width = request.Size.Width,
                    Height = request.Size.Height,
                },
                EncodingDecision.Encode(true, true, $"composited {plan.Intervals.Count} intervals in one ffmpeg graph ({request.Layout}, {request.Size})"),
                cancellationToken);
            return new CompositeResult { Output = verified, Intervals = plan.Intervals, NamesDrawn = plan.FontFile is not null };
        }
        finally
        {
            try
            {
                Directory.Delete(plan.LabelFolder, recursive: true);
            }
            catch (IOException)
            {
                // Label files are a few bytes in temp; leaving them is harmless.
            }
        }
    }

    /// <summary>Validates and probes, and returns the exact ffmpeg arguments (bench/Media runs them bare to measure our overhead).</summary>
    public async Task<CompositePlan> PlanAsync(CompositeRequest request, CancellationToken cancellationToken = default)
    {
        CompositeSize.Validate(request.Size);
        if (!Enum.IsDefined(request.Layout))
        {
            throw new MediaInputException("layout", "must be one of grid, speaker, single");
        }

        if (request.FrameRate is < 1 or > 60)
        {
            throw new MediaInputException("frameRate", "must be between 1 and 60");
        }

        var output = Splice.SegmentSplicer.ValidateOutput(request.OutputPath);
        var timeline = await CompositeTimeline.ReadAsync(request.Timeline, cancellationToken);
        var folder = Path.GetDirectoryName(Path.GetFullPath(request.Timeline))!;
        if (timeline.Tracks is null || timeline.Tracks.Count == 0)
        {
            throw new MediaInputException("tracks", "must list at least one track");
        }

        for (var i = 0; i < timeline.Tracks.Count; i++)
        {
            var track = timeline.Tracks[i];
            if (string.IsNullOrWhiteSpace(track.Participant))
            {
                throw new MediaInputException($"tracks[{i}].participant", "must name the participant");
            }

            if (track.JoinAt < 0 || double.IsNaN(track.JoinAt))
            {
                throw new MediaInputException($"tracks[{i}].joinAt", "must be zero or more seconds");
            }

            if (track.Offset < 0 || double.IsNaN(track.Offset))
            {
                throw new MediaInputException($"tracks[{i}].offset", "must be zero or more seconds");
            }

            if (!(track.LeaveAt > track.JoinAt))
            {
                throw new MediaInputException($"tracks[{i}].leaveAt", "must be greater than joinAt (a track must not have zero length)");
            }
        }

        var roles = request.Roles.Select(r => r.Trim()).Where(r => r.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var selected = timeline.Tracks.Select((t, i) => (Track: t, Index: i)).Where(x => roles.Count == 0 || roles.Contains(x.Track.Role)).ToList();
        if (selected.Count == 0)
        {
            throw new MediaInputException("roles", $"no track has any of the roles {string.Join(", ", roles)}");
        }

        var duration = timeline.Duration ?? timeline.Tracks.Max(t => t.LeaveAt);
        if (duration <= 0 || duration > 24 * 3600)
        {
            throw new MediaInputException("duration", "must be between 0 and 24 hours");
        }

        var prepared = new List<PreparedTrack>();
        foreach (var (track, index) in selected)
        {
            var path = LocalMediaPath.Resolve(folder, track.File, $"tracks[{index}].file");
            LocalMediaPath.RefuseInputAsOutput(output, [path]);
            var signature = await reader.SignatureAsync(path, cancellationToken);
            if (!signature.HasVideo && !signature.HasAudio)
            {
                throw new MediaInputException($"tracks[{index}].file", "must contain video or audio");
            }

            if (track.JoinAt >= duration)
            {
                continue;
            }

            prepared.Add(new PreparedTrack(prepared.Count, path, track.Participant, track.Role, signature.HasVideo, signature.HasAudio, track.JoinAt, Math.Min(track.LeaveAt, duration), track.Offset));
        }

        var fontFile = request.FontFile ?? FontCandidates.FirstOrDefault(File.Exists);
        var labels = Path.Combine(Path.GetTempPath(), "compose-labels-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(labels);
        var arguments = CompositeGraphBuilder.Build(prepared, duration, request, output, labels, fontFile);
        var intervals = CompositeGraphBuilder.Intervals(prepared, duration, request.Layout)
            .Select(i => new CompositeInterval(i.Start, i.End, [.. i.Present.Select(p => p.Participant)]))
            .ToList();
        return new CompositePlan(arguments, output, duration, intervals, fontFile, labels);
    }
}

/// <summary>The validated, probed plan of a composite: the ffmpeg arguments and what they will produce.</summary>
public sealed record CompositePlan(IReadOnlyList<string> Arguments, string OutputPath, double Duration, IReadOnlyList<CompositeInterval> Intervals, string? FontFile, string LabelFolder);
