using System.Diagnostics;
using Recording.Media.Compose;
using Recording.Media.Ffmpeg;
using Recording.Media.Packaging;
using Recording.Media.Splice;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Jobs;

/// <summary>
/// Runs one <see cref="MediaJobRequest"/> and writes its <see cref="MediaJobResult"/>: a success once every output is verified,
/// or a failure that names the cause (bad input, ffmpeg's error, an output that does not verify) and says whether another
/// attempt may succeed (<see cref="MediaJobResult.Retryable"/>). A stopped job (the caller's token: the worker is ending) writes
/// nothing, so that it runs again rather than being reported failed; a job the service canceled (<see cref="MediaJobCancellation"/>)
/// ends failed with the reason; a request without a usable output folder (<see cref="HasUsableOutputDirectory"/>) has nowhere
/// to be reported and throws its MediaInputException.
/// </summary>
public sealed class MediaJobExecutor(FfmpegOptions? ffmpeg = null)
{
    /// <summary>How often a running job looks for its cancel marker.</summary>
    public TimeSpan CancelPollInterval { get; init; } = MediaJobCancelWatch.DefaultInterval;

    public async Task<MediaJobResult> RunAsync(MediaJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        MediaJobResult result;
        if (HasUsableOutputDirectory(request) && await MediaJobCancellation.ReasonAsync(request, cancellationToken) is { } early)
        {
            // Canceled while it waited in the queue: nothing to stop, and nothing to run.
            result = MediaJobResult.Failed(request.JobId, MediaJobCancellation.Error(early));
        }
        else
        {
            await using var watch = MediaJobCancelWatch.Start(request, cancellationToken, CancelPollInterval);
            try
            {
                result = await RunOperationAsync(request, started, watch.Token);
            }
            catch (OperationCanceledException) when (watch.Reason is { } reason && !cancellationToken.IsCancellationRequested)
            {
                // Unlike a stop (the caller's token), a cancel is the job's end: its result says so, and nothing runs it again.
                result = MediaJobResult.Failed(request.JobId, MediaJobCancellation.Error(reason), Stopwatch.GetElapsedTime(started));
            }
        }

        await MediaJobResultFile.WriteAsync(request, result, cancellationToken);
        return result;
    }

    private async Task<MediaJobResult> RunOperationAsync(MediaJobRequest request, long started, CancellationToken cancellationToken)
    {
        try
        {
            Validate(request);
            if (Directory.Exists(request.OutputDirectory))
            {
                Directory.Delete(request.OutputDirectory, recursive: true);
            }

            var result = request.Operation switch
            {
                MediaJobOperation.Ladder => await LadderAsync(request, cancellationToken),
                MediaJobOperation.Thumbnails => await ThumbnailsAsync(request, cancellationToken),
                MediaJobOperation.Splice => await SpliceAsync(request, cancellationToken),
                MediaJobOperation.Compose => await ComposeAsync(request, cancellationToken),
                _ => await HlsAsync(request, cancellationToken),
            };
            cancellationToken.ThrowIfCancellationRequested();
            return result with { Elapsed = Stopwatch.GetElapsedTime(started) };
        }
        catch (MediaInputException ex) when (HasUsableOutputDirectory(request))
        {
            // Reported in the result file; without a usable output folder there is no such file, and the caller must refuse the request.
            return MediaJobResult.Failed(request.JobId, ex.Message, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is OutputVerificationException or FfmpegException or IOException or UnauthorizedAccessException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return MediaJobResult.Failed(request.JobId, ex.Message, Stopwatch.GetElapsedTime(started)) with { Retryable = IsTransient(ex) };
        }
    }

    /// <summary>
    /// Whether another attempt may succeed where this one failed: an ffmpeg that was killed (the kernel's OOM killer, a lost
    /// node) or failed on I/O, a disk or share that failed. An output that does not verify, a missing file or a refused path
    /// fails the same way again.
    /// </summary>
    private static bool IsTransient(Exception failure)
        => failure is FfmpegException || (failure is IOException && failure is not (FileNotFoundException or DirectoryNotFoundException));

    /// <summary>The rules a request must meet; each names the field it breaks.</summary>
    public static void Validate(MediaJobRequest request)
    {
        if (request.Version != MediaJobRequest.CurrentVersion)
        {
            throw new MediaInputException("version", $"must be {MediaJobRequest.CurrentVersion} (got {request.Version}): the worker and the service are different releases");
        }

        if (string.IsNullOrWhiteSpace(request.JobId) || request.JobId.Length > 200 || request.JobId.Any(char.IsControl))
        {
            throw new MediaInputException("jobId", "must be 1 to 200 characters without control characters");
        }

        if (!Enum.IsDefined(request.Operation))
        {
            throw new MediaInputException("operation", "must be ladder, thumbnails, splice, hls or compose");
        }

        // The output folder first: it is where the result of every other rule is reported.
        if (!HasUsableOutputDirectory(request))
        {
            throw new MediaInputException("outputDirectory", "must be an absolute folder path below a root, without . or .. segments");
        }

        if (!IsNormalAbsolutePath(request.Input) || !File.Exists(request.Input))
        {
            throw new MediaInputException("input", "must be the absolute path of an existing file, without . or .. segments");
        }

        // The output folder is emptied before the job runs: it must not hold the input, or the segments beside a manifest.
        if (LocalMediaPath.IsWithin(Path.GetDirectoryName(request.Input)!, request.OutputDirectory))
        {
            throw new MediaInputException("outputDirectory", "must not hold the input or its folder: it is emptied before the job runs");
        }

        if (request.Operation == MediaJobOperation.Ladder && (request.Rungs is null || request.Rungs.Count == 0))
        {
            throw new MediaInputException("rungs", "must list at least one rung for a ladder");
        }

        if (request.Operation == MediaJobOperation.Thumbnails && request.ThumbnailInterval < TimeSpan.FromSeconds(1))
        {
            throw new MediaInputException("thumbnailInterval", "must be at least 1 second");
        }

        if (request.Operation is MediaJobOperation.Splice or MediaJobOperation.Compose && !IsPlainFileName(request.OutputFileName))
        {
            throw new MediaInputException("outputFileName", "must be a file name (no folder) ending in .mp4, .mov, .m4a, .mkv or .ts");
        }

        if (request.Operation == MediaJobOperation.Compose)
        {
            if (request.Composite is null)
            {
                throw new MediaInputException("composite", "must give the layout and size of a compose job");
            }

            try
            {
                CompositeSize.Parse(request.Composite.Size);
            }
            catch (MediaInputException ex)
            {
                throw new MediaInputException("composite.size", ex.Rule);
            }

            if (!Enum.IsDefined(request.Composite.Layout))
            {
                throw new MediaInputException("composite.layout", "must be grid, speaker or single");
            }
        }
    }

    /// <summary>
    /// Whether the output folder is a place a result can be written to (<see cref="Validate"/>'s outputDirectory rule): a job
    /// whose request breaks it can only be refused, never reported failed.
    /// </summary>
    public static bool HasUsableOutputDirectory(MediaJobRequest request)
        => IsNormalAbsolutePath(request.OutputDirectory) && Path.GetFileName(Path.TrimEndingDirectorySeparator(request.OutputDirectory)).Length > 0;

    /// <summary>
    /// Absolute and already in its full form: "/jobs/a/.." would pass a plain absolute-path check, and emptying that
    /// "output folder" would delete /jobs; the result and lock paths, built by appending to it, would lie elsewhere too.
    /// </summary>
    private static bool IsNormalAbsolutePath(string? path)
        => !string.IsNullOrEmpty(path) && !path.Contains('\0', StringComparison.Ordinal) && Path.IsPathFullyQualified(path)
            && Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) == Path.TrimEndingDirectorySeparator(path);

    private static bool IsPlainFileName(string? name)
        => !string.IsNullOrEmpty(name) && name.Length <= 200 && !name.Any(char.IsControl) && Path.GetFileName(name) == name && name.Trim('.').Length > 0
            && Path.GetExtension(name).ToLowerInvariant() is ".mp4" or ".mov" or ".m4a" or ".mkv" or ".ts";

    private async Task<MediaJobResult> SpliceAsync(MediaJobRequest request, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(request.OutputDirectory);
        // The splicer's scratch files (the concat list, gap fillers) go in the output folder, on the same disk as the output.
        var splice = await new SegmentSplicer(ffmpeg, new SpliceOptions { WorkingDirectory = request.OutputDirectory }).SpliceAsync(
            new SpliceRequest(request.Input, Path.Combine(request.OutputDirectory, request.OutputFileName)), cancellationToken);
        return Made(request, splice.Output);
    }

    private async Task<MediaJobResult> ComposeAsync(MediaJobRequest request, CancellationToken cancellationToken)
    {
        var settings = request.Composite!;
        Directory.CreateDirectory(request.OutputDirectory);
        var composite = await new TimelineCompositor(ffmpeg).ComposeAsync(
            new CompositeRequest(request.Input, Path.Combine(request.OutputDirectory, request.OutputFileName))
            {
                Layout = settings.Layout,
                Size = CompositeSize.Parse(settings.Size),
                Roles = settings.Roles,
                NameLabels = settings.NameLabels,
                X264Preset = request.X264Preset,
            },
            cancellationToken);
        return Made(request, composite.Output);
    }

    private async Task<MediaJobResult> HlsAsync(MediaJobRequest request, CancellationToken cancellationToken)
    {
        var hls = await new HlsPackager(ffmpeg).PackageAsync(new HlsPackageRequest(request.Input, request.OutputDirectory), cancellationToken);
        return Made(request, hls.Playlist);
    }

    /// <summary>The success of a job that makes one verified output, with how it was made.</summary>
    private static MediaJobResult Made(MediaJobRequest request, VerifiedOutput output) => new()
    {
        JobId = request.JobId,
        Succeeded = true,
        Output = new MediaJobFile(output.Path, output.Bytes, output.Duration),
        Decision = output.Encoding.Reason,
    };

    private async Task<MediaJobResult> LadderAsync(MediaJobRequest request, CancellationToken cancellationToken)
    {
        var ladder = await new LadderPackager(ffmpeg).PackageAsync(
            new LadderRequest(request.Input, request.OutputDirectory) { Rungs = request.Rungs, X264Preset = request.X264Preset }, cancellationToken);
        return new MediaJobResult
        {
            JobId = request.JobId,
            Succeeded = true,
            Renditions = [.. ladder.Renditions.Select(r => new MediaJobRendition(r.Rung.ShortSide, r.Mp4.Path, r.Mp4.Bytes, r.Mp4.Duration))],
            MasterPlaylistPath = ladder.MasterPlaylistPath,
        };
    }

    private async Task<MediaJobResult> ThumbnailsAsync(MediaJobRequest request, CancellationToken cancellationToken)
    {
        var thumbnails = await new ThumbnailGenerator(ffmpeg).GenerateAsync(
            new ThumbnailRequest(request.Input, request.OutputDirectory) { Interval = request.ThumbnailInterval }, cancellationToken);
        return new MediaJobResult { JobId = request.JobId, Succeeded = true, PosterPath = thumbnails.PosterPath, WebVttPath = thumbnails.WebVttPath };
    }
}
