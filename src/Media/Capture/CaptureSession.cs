using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.Media.Sources;
using Recording.Media.Threading;

namespace Recording.Media.Capture;

/// <summary>
/// Records one live source into keyframe-cut segments with ffmpeg -c copy until it is stopped, reaches its maximum
/// duration, runs short of disk, or loses the source for longer than the resume window. Each segment is probed,
/// hashed and added to manifest.json (replaced atomically) the moment ffmpeg opens the next one; a reconnect
/// continues the same recording with the next index; a folder left by a crash is recovered from its files first.
/// </summary>
public sealed partial class CaptureSession : IDisposable
{
    private readonly string redactedSource;
    private readonly string recordingId;
    private readonly LiveSource source;
    private readonly CaptureOptions options;
    private readonly IFfmpegRunner runner;
    private readonly SegmentInspector inspector;
    private readonly SegmentNaming naming;
    private readonly ILogger logger;
    private readonly FfmpegOptions ffmpeg;
    private readonly Channel<Notice> notices = Channel.CreateUnbounded<Notice>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<SegmentEntry> segments = [];
    private readonly List<ManifestGap> gaps = [];
    private readonly HashSet<int> runStarts = [];
    private readonly CancellationTokenSource stop = new();
    private DriveInfo? outputDrive;

    private Action<CaptureEvent> onEvent = _ => { };
    private SegmentManifest manifest = null!;
    private OpenSegment? open;
    private string? stopReason;
    private int nextIndex;
    private int currentRun = -1;
    private int runWithSegment = -1;
    private int lastOpenedRun = -1;
    private bool lossPending;
    private DateTimeOffset? lastMediaEnd;
    private volatile CancellationTokenSource? rotateForSize;
    private volatile CancellationTokenSource? abortRun;
    private volatile SourceTimelineWatch timeline = new();
    private volatile string? newTimeline;
    private long heartbeatTicks;
    private volatile bool stalled;

    public CaptureSession(LiveSource source, CaptureOptions options, IFfmpegRunner? runner = null, FfmpegOptions? ffmpeg = null, ILogger? logger = null)
    {
        options.Validate();
        this.source = source;
        this.options = options;
        this.runner = runner ?? new FfmpegRunner(ffmpeg);
        this.ffmpeg = ffmpeg ?? new FfmpegOptions();
        inspector = new SegmentInspector(new MediaProbe(ffmpeg));
        naming = new SegmentNaming(options.Format, options.HlsSegmentType);
        this.logger = logger ?? NullLogger.Instance;
        redactedSource = source.Redacted;
        recordingId = options.RecordingId;
    }

    public void Dispose() => stop.Dispose();

    /// <summary>Records until <paramref name="cancellationToken"/> asks for a graceful stop (reason stopped) or a limit ends it.</summary>
    public async Task<CaptureResult> RunAsync(Action<CaptureEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        this.onEvent = onEvent ?? (_ => { });
        Directory.CreateDirectory(options.OutputDirectory);
        await OrphanedCaptureWriters.StopAsync(options.OutputDirectory, naming, ffmpeg, logger);
        var recovered = await new CrashRecovery(inspector).RecoverAsync(options.OutputDirectory, naming, CancellationToken.None);
        segments.AddRange(recovered.Segments);
        gaps.AddRange(recovered.Previous?.Gaps ?? []);
        nextIndex = recovered.NextIndex;
        lastMediaEnd = segments.Count > 0 ? segments[^1].EndedAt : null;
        if (recovered.Segments.Count > 0 || recovered.Unreadable.Count > 0)
        {
            logger.LogWarning(
                "Recovered {Count} segments from {Directory}; unreadable: {Unreadable}; continuing at index {Index}",
                recovered.Segments.Count, options.OutputDirectory, string.Join(", ", recovered.Unreadable), nextIndex);
            lossPending = segments.Count > 0;
        }

        var startedAt = DateTimeOffset.UtcNow;
        manifest = new SegmentManifest
        {
            RecordingId = options.RecordingId,
            Source = source.Redacted,
            Format = options.Format,
            StartedAt = recovered.Previous?.StartedAt ?? segments.FirstOrDefault()?.StartedAt ?? startedAt,
        };
        await SaveAsync(ended: false);

        using var cancelRegistration = cancellationToken.Register(() => RequestStop(CaptureExitReason.Stopped));
        var consumer = Task.Run(ConsumeAsync, CancellationToken.None);
        var monitor = DedicatedThread.Run("capture monitor", Monitor);
        var run = recovered.NextRun;
        string reason;
        string? detail = null;
        try
        {
            (reason, detail) = await RecordAsync(run, startedAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Capture {RecordingId} failed", options.RecordingId);
            reason = CaptureExitReason.Failed;
            detail = Redact(ex.Message);
        }
        finally
        {
            await stop.CancelAsync();
            notices.Writer.TryComplete();
            await consumer;
            await monitor;
        }

        manifest = manifest with { EndedAt = DateTimeOffset.UtcNow, ExitReason = reason };
        await SaveAsync(ended: true);
        Emit(new CaptureExited
        {
            RecordingId = options.RecordingId,
            At = manifest.EndedAt!.Value,
            Reason = reason,
            Segments = segments.Count,
            TotalDurationSeconds = Math.Round(manifest.TotalDurationSeconds, 3),
            TotalBytes = manifest.TotalBytes,
            Detail = detail,
        });
        return new CaptureResult(reason, manifest);
    }

    private async Task<(string Reason, string? Detail)> RecordAsync(int run, DateTimeOffset startedAt)
    {
        if (options.MaxDuration is { } maxDuration)
        {
            _ = Task.Delay(maxDuration, stop.Token).ContinueWith(t => { if (!t.IsCanceled) { RequestStop(CaptureExitReason.MaxDuration); } }, TaskScheduler.Default);
        }

        var backoff = options.InitialReconnectDelay;
        DateTimeOffset? lostAt = null;
        var adtsToAsc = true;
        while (stopReason is null)
        {
            if (IsDiskLow())
            {
                RequestStop(CaptureExitReason.DiskLow);
                break;
            }

            currentRun = run;
            Interlocked.Exchange(ref heartbeatTicks, 0);
            stalled = false;
            timeline = new SourceTimelineWatch();
            newTimeline = null;
            using var runCts = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            using var abortCts = new CancellationTokenSource();
            rotateForSize = runCts;
            abortRun = abortCts;
            var windowExpired = false;
            if (lostAt is { } since)
            {
                // A reconnect attempt that is still waiting for media when the window closes is abandoned.
                var remaining = since + options.ResumeWindow - DateTimeOffset.UtcNow;
                var thisRun = run;
                _ = Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, runCts.Token).ContinueWith(
                    t =>
                    {
                        if (!t.IsCanceled && Volatile.Read(ref runWithSegment) != thisRun)
                        {
                            windowExpired = true;
                            runCts.Cancel();
                        }
                    },
                    TaskScheduler.Default);
            }

            var arguments = CaptureArguments.Build(source, options, nextIndex, run, adtsToAsc);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Starting ffmpeg run {Run} at segment {Index} for {Source}", run, nextIndex, redactedSource);
            }
            var result = await runner.RunAllowingFailureAsync(arguments, line => OnStderr(line, run), runCts.Token, abortCts.Token);
            var exitedAt = DateTimeOffset.UtcNow;
            var sizeRotation = runCts.IsCancellationRequested && stopReason is null && !windowExpired && !stalled && newTimeline is null;
            rotateForSize = null;
            abortRun = null;
            var endReason = stopReason switch
            {
                CaptureExitReason.Stopped => SegmentEndReason.Stop,
                CaptureExitReason.MaxDuration => SegmentEndReason.MaxDuration,
                CaptureExitReason.DiskLow => SegmentEndReason.DiskLow,
                _ => sizeRotation ? SegmentEndReason.SizeLimit : SegmentEndReason.SourceLost,
            };
            await SendAndWaitAsync(new RunEnded(run, endReason, exitedAt));
            TryDelete(Path.Combine(options.OutputDirectory, CaptureArguments.RunPlaylistName(run)));
            var hadSegment = Volatile.Read(ref runWithSegment) == run;
            run++;
            if (stopReason is not null)
            {
                break;
            }

            if (sizeRotation)
            {
                continue;
            }

            if (adtsToAsc && !hadSegment && CaptureArguments.RefusedByAdtsToAsc(result.StderrTail))
            {
                // The source's audio is not AAC (MP2 or AC-3 over MPEG-TS, MP3 over RTMP): nothing to convert, nothing lost.
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Source {Source} carries audio other than AAC; running again without the ADTS filter", redactedSource);
                }

                adtsToAsc = false;
                continue;
            }

            if (hadSegment || lostAt is null)
            {
                lostAt = exitedAt;
                backoff = options.InitialReconnectDelay;
                var tail = stalled
                    ? $"no media for {options.SourceReadTimeout.TotalSeconds:0.#} s"
                    : newTimeline ?? Redact(result.StderrTail.Split('\n').LastOrDefault(l => l.Length > 0 && !IsProgressLine(l)) ?? $"ffmpeg exited with {result.ExitCode}");
                logger.LogWarning("Source {Source} lost (ffmpeg exit {ExitCode}: {Tail}); reconnecting for {Window}", redactedSource, result.ExitCode, tail, options.ResumeWindow);
                await SendAndWaitAsync(new Lost(exitedAt, exitedAt + options.ResumeWindow, tail));
            }

            var left = lostAt.Value + options.ResumeWindow - DateTimeOffset.UtcNow;
            if (windowExpired || left <= TimeSpan.Zero)
            {
                return (CaptureExitReason.SourceLost, $"no media for {options.ResumeWindow.TotalSeconds:0.#} s");
            }

            try
            {
                await Task.Delay(backoff < left ? backoff : left, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxReconnectDelay.Ticks));
        }

        return (stopReason ?? CaptureExitReason.Stopped, null);
    }

    private void OnStderr(string line, int run)
    {
        if (IsProgressLine(line))
        {
            // HLS arrives a whole segment at a time, seconds apart, and its HTTP reads honour -rw_timeout: no heartbeat there.
            if (run == currentRun && !source.IsHls)
            {
                Interlocked.Exchange(ref heartbeatTicks, DateTimeOffset.UtcNow.UtcTicks);
            }

            return;
        }

        if (run == currentRun && newTimeline is null && timeline.Observe(line, DateTimeOffset.UtcNow) is { } reason)
        {
            newTimeline = reason;
            logger.LogWarning("Source {Source}: {Reason}; ending this ffmpeg run to reconnect", redactedSource, reason);
            EndRunForNewTimeline();
            return;
        }

        var match = OpeningLine().Match(line);
        if (match.Success && naming.IndexOf(match.Groups[1].Value) is { } index)
        {
            Volatile.Write(ref runWithSegment, run);
            notices.Writer.TryWrite(new Opened(run, Path.GetFileName(match.Groups[1].Value), index, DateTimeOffset.UtcNow));
            return;
        }

        if (logger.IsEnabled(LogLevel.Debug) && !line.Contains("Opening '", StringComparison.Ordinal))
        {
            logger.LogDebug("ffmpeg: {Line}", Redact(line));
        }
    }

    private async Task ConsumeAsync()
    {
        await foreach (var notice in notices.Reader.ReadAllAsync())
        {
            try
            {
                switch (notice)
                {
                    case Opened opened:
                        await OnOpenedAsync(opened);
                        break;
                    case RunEnded ended:
                        if (open is { } last && last.Run == ended.Run)
                        {
                            open = null;
                            await CloseAsync(last, ended.Reason, ended.At);
                        }

                        break;
                    case Lost lost:
                        lossPending = true;
                        Emit(new SourceLost { RecordingId = options.RecordingId, At = lost.At, ResumeDeadline = lost.Deadline, Detail = lost.Detail });
                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or Ffmpeg.FfmpegException or UnauthorizedAccessException)
            {
                logger.LogError(ex, "Could not record a segment of {RecordingId} in the manifest", options.RecordingId);
            }
            finally
            {
                notice.Done?.TrySetResult();
            }
        }
    }

    private async Task OnOpenedAsync(Opened opened)
    {
        if (open is { } previous && previous.Run == opened.Run)
        {
            open = null;
            await CloseAsync(previous, SegmentEndReason.Rotation, opened.At);
        }

        nextIndex = Math.Max(nextIndex, opened.Index + 1);
        var init = options.Format == SegmentFormat.Hls && options.HlsSegmentType == HlsSegmentType.Fmp4 ? SegmentNaming.InitFileName(opened.Run) : null;
        var firstOfRun = opened.Run != lastOpenedRun;
        lastOpenedRun = opened.Run;
        if (firstOfRun)
        {
            runStarts.Add(opened.Index);
        }

        open = new OpenSegment(opened.Run, opened.Index, opened.File, opened.At, init, firstOfRun);
        if (lossPending)
        {
            lossPending = false;
            if (lastMediaEnd is { } before)
            {
                var gap = new ManifestGap { AfterIndex = segments.Count > 0 ? segments[^1].Index : opened.Index - 1, StartedAt = before, EndedAt = opened.At };
                gaps.Add(gap);
                manifest = manifest with { Gaps = [.. gaps] };
                await SaveAsync(ended: false);
                Emit(new SourceResumed { RecordingId = options.RecordingId, At = opened.At, Gap = gap });
            }
        }
    }

    private async Task CloseAsync(OpenSegment segment, SegmentEndReason reason, DateTimeOffset closedAt)
    {
        var inspected = await inspector.InspectAsync(options.OutputDirectory, segment.File, segment.InitFile);
        if (inspected is null)
        {
            logger.LogWarning("Segment {File} is empty or unreadable; left out of the manifest", segment.File);
            var path = Path.Combine(options.OutputDirectory, segment.File);
            if (File.Exists(path) && new FileInfo(path).Length == 0)
            {
                TryDelete(path);
            }

            return;
        }

        // Wall clock: a rotation boundary is seen live (ffmpeg opens the next file), so it is the truth for both
        // neighbours. The other ends are not: after a source loss ffmpeg notices only when its read times out, and after
        // 'q' it takes a moment to exit; there the media ended when its duration says.
        var startedAt = segment.StartedAt;
        var hls = options.Format == SegmentFormat.Hls;
        if (hls && !segment.FirstOfRun && lastMediaEnd is { } previousEnd)
        {
            // The HLS muxer opens a segment's file only when it flushes, which around a source loss is seconds after
            // its media began: within a run, an HLS segment starts where the previous one's media ended.
            startedAt = previousEnd;
        }

        var endedAt = reason == SegmentEndReason.Rotation && !hls ? closedAt : startedAt + inspected.Duration;
        if (segment.FirstOfRun && reason == SegmentEndReason.Rotation && endedAt - inspected.Duration < startedAt)
        {
            // The first file of a run opens only after ffmpeg has probed the input, and the server's keyframe cache
            // arrives in a burst: its first media is older than the file. Its end is live, so the start is end minus duration.
            startedAt = endedAt - inspected.Duration;
            var gapIndex = gaps.FindIndex(g => g.EndedAt == segment.StartedAt);
            if (gapIndex >= 0)
            {
                var gap = gaps[gapIndex];
                gaps[gapIndex] = gap with { EndedAt = startedAt > gap.StartedAt ? startedAt : gap.StartedAt };
            }
        }

        var entry = new SegmentEntry
        {
            Index = segment.Index,
            File = segment.File,
            StartedAt = startedAt,
            EndedAt = endedAt < startedAt ? startedAt : endedAt,
            DurationSeconds = Math.Round(inspected.Duration.TotalSeconds, 3),
            Bytes = inspected.Bytes,
            Sha256 = inspected.Sha256,
            Streams = inspected.Streams,
            EndReason = reason,
            InitFile = segment.InitFile,
        };
        segments.Add(entry);
        lastMediaEnd = entry.EndedAt;
        await SaveAsync(ended: false);
        Emit(new SegmentReady { RecordingId = options.RecordingId, At = DateTimeOffset.UtcNow, Segment = entry });
    }

    private async Task SaveAsync(bool ended)
    {
        manifest = manifest with { Segments = [.. segments.OrderBy(s => s.Index)], Gaps = [.. gaps] };
        await ManifestFile.WriteAsync(options.OutputDirectory, manifest);
        if (options.Format == SegmentFormat.Hls)
        {
            await HlsPlaylistWriter.WriteAsync(options.OutputDirectory, manifest.Segments, runStarts, ended);
        }
    }

    private void Monitor()
    {
        // WaitOne returns true once the stop token is cancelled; the handle is disposed only after this loop ends.
        while (!stop.Token.WaitHandle.WaitOne(options.MonitorInterval))
        {
            var heartbeat = Interlocked.Read(ref heartbeatTicks);
            if (heartbeat != 0 && !stalled && DateTimeOffset.UtcNow.UtcTicks - heartbeat > options.SourceReadTimeout.Ticks)
            {
                // Armed only once media flowed: connecting and probing (seconds for MPEG-TS over SRT) print no progress.
                logger.LogWarning("No media from {Source} for {Timeout}; ending this ffmpeg run", redactedSource, options.SourceReadTimeout);
                stalled = true;
                CancelRun();
            }
            else if (IsDiskLow())
            {
                logger.LogWarning("Free disk below {Minimum} bytes; stopping {RecordingId}", options.MinFreeDiskBytes, options.RecordingId);
                RequestStop(CaptureExitReason.DiskLow);
            }
            else if (options.MaxSegmentBytes is { } max && open is { } segment && segment.Run == currentRun
                && new FileInfo(Path.Combine(options.OutputDirectory, segment.File)) is { Exists: true } file && file.Length > max)
            {
                var name = segment.File;
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Segment {File} passed {Max} bytes; rotating", name, max);
                }
                CancelRun();
            }
        }
    }

    // ffmpeg's -stats line ("frame=... time=..." or, audio only, "size=... time=..."), ended by '\r'.
    private static bool IsProgressLine(string line)
        => line.StartsWith("frame=", StringComparison.Ordinal) || line.StartsWith("size=", StringComparison.Ordinal);

    /// <summary>
    /// Killed, not asked to finish: what ffmpeg holds but has not written is the new publisher's media under the old
    /// codec setup, and a fragmented file keeps every fragment it flushed before. A classic MP4 has its index written
    /// only at the end, so it is finished instead, with at most the last fraction of a second of the new media in it.
    /// </summary>
    private void EndRunForNewTimeline()
    {
        if (options.Format == SegmentFormat.Mp4)
        {
            CancelRun();
            return;
        }

        try
        {
            abortRun?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // The run's token source is disposed when its ffmpeg run ends, which can race with the monitor's decision to end it.
    private void CancelRun()
    {
        try
        {
            rotateForSize?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private bool IsDiskLow()
    {
        outputDrive ??= new DriveInfo(Path.GetFullPath(options.OutputDirectory));
        return outputDrive.AvailableFreeSpace < options.MinFreeDiskBytes;
    }

    private void RequestStop(string reason)
    {
        if (Interlocked.CompareExchange(ref stopReason, reason, null) is null)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Stopping capture {RecordingId}: {Reason}", recordingId, reason);
            }
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task SendAndWaitAsync(Notice notice)
    {
        notice.Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await notices.Writer.WriteAsync(notice);
        await notice.Done.Task;
    }

    private void Emit(CaptureEvent captureEvent)
    {
        try
        {
            onEvent(captureEvent);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            logger.LogError(ex, "An event handler failed for {Type}", captureEvent.GetType().Name);
        }
    }

    /// <summary>The source URL as the user gave it (it may hold spaces), then any other URL (an HLS variant's or segment's own token).</summary>
    private string Redact(string text)
    {
        var raw = source.Url.OriginalString;
        return SourceRedaction.RedactUrlsIn(text.Replace(raw, source.Redacted, StringComparison.Ordinal)
            .Replace(source.Url.AbsoluteUri, source.Redacted, StringComparison.Ordinal));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"Opening '(.+)' for writing")]
    private static partial Regex OpeningLine();

    private abstract record Notice
    {
        public TaskCompletionSource? Done { get; set; }
    }

    private sealed record Opened(int Run, string File, int Index, DateTimeOffset At) : Notice;

    private sealed record RunEnded(int Run, SegmentEndReason Reason, DateTimeOffset At) : Notice;

    private sealed record Lost(DateTimeOffset At, DateTimeOffset Deadline, string Detail) : Notice;

    private sealed record OpenSegment(int Run, int Index, string File, DateTimeOffset StartedAt, string? InitFile, bool FirstOfRun);
}
