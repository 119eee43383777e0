using System.Text.Json;
using Recording.Durable.Orchestrations;
using Recording.Durable.Versioning;
using Recording.Functions.Jobs;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Capture;
using Recording.Media.Jobs;
using Recording.Media.Manifest;
using Recording.Media.Packaging;
using Recording.Media.Splice.Fragmented;

namespace Recording.Functions.Orchestration;

/// <summary>
/// One recording, as DESIGN.md's "A recording's life": start the capture job; upload each segment as it closes; stop on request,
/// at the maximum duration or when the job ends (a source loss beyond the resume window); post-process as the template asks; notify.
/// </summary>
/// <remarks>
/// Replayed from history: no I/O, clock or GUIDs here, only activities, timers and events. Capture events arrive at least once,
/// so segments are deduplicated by index. After <see cref="RecordingOrchestrationInput.ContinueAsNewAfterSegments"/> segments the
/// execution continues as new with its state, so a long recording's history stays small.
/// </remarks>
public sealed class RecordingOrchestrator : TaskOrchestrator<RecordingOrchestrationInput, RecordingOutcome>
{
    /// <summary>Margin past the maximum duration before the orchestrator stops a job that did not stop itself.</summary>
    private static readonly TimeSpan MaxDurationGrace = TimeSpan.FromSeconds(30);

    private static readonly TaskOptions JobRetry = new(new RetryPolicy(3, TimeSpan.FromSeconds(2), 2.0));

    private const string PostFolderName = "post";

    /// <summary>
    /// The output folders of a recording's media jobs (<paramref name="workFolder"/> is the recording's folder): where a
    /// terminated recording's jobs are canceled, since its orchestration no longer can.
    /// </summary>
    public static IReadOnlyList<string> MediaJobOutputFolders(string workFolder)
        => [.. new[] { MediaJobOperation.Splice, MediaJobOperation.Hls, MediaJobOperation.Ladder, MediaJobOperation.Thumbnails }.Select(o => PostProcessingFolders.For(Path.Combine(workFolder, PostFolderName), o))];

    public override async Task<RecordingOutcome> RunAsync(TaskOrchestrationContext context, RecordingOrchestrationInput input)
    {
        var run = new Run(context, input);
        return await run.ExecuteAsync();
    }

    /// <summary>One execution's working set (state lives in <see cref="RecordingState"/> so that ContinueAsNew can carry it).</summary>
    private sealed class Run(TaskOrchestrationContext context, RecordingOrchestrationInput input)
    {
        private readonly RecordingStartCommand command = input.Command;
        private readonly RecordingState state = input.State ?? new RecordingState { StartedAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) };
        private readonly List<RecordingAsset> assets = [];
        private readonly List<PendingNotification> notifications = [];
        private string phase = input.State switch
        {
            null => RecordingPhases.Starting,
            { StopRequested: true } => RecordingPhases.Stopping,
            { Interrupted: true } => RecordingPhases.Interrupted,
            _ => RecordingPhases.Recording,
        };

        private DateTimeOffset? endedAt;
        private bool continueAsNew;
        private InOrderSegmentSteps<FragmentedSpliceState>? splice;
        private InOrderSegmentSteps<HlsPiece>? hls;

        private string CaptureFolder => Path.Combine(input.WorkFolder, "capture");

        private string PostFolder => Path.Combine(input.WorkFolder, PostFolderName);

        private string SplicedPath => SplicedAssetUploader.LocalPath(PostFolder, command.Id);

        private string HlsPiecesFolder => Path.Combine(PostFolder, "hls-pieces");

        /// <summary>
        /// Whether the spliced file is built while recording: fMP4 segments (their fragments can be appended by copy) and a
        /// template whose post-processing starts from the spliced file. Otherwise, or once an append fails, it is made after the stop.
        /// </summary>
        private bool SplicesWhileRecording
        {
            get
            {
                var post = command.Template.PostProcessing;
                return command.Template.Format == Templates.TemplateFormats.FragmentedMp4 && (post.Splice || post.Ladder || post.Thumbnails) && state.SpliceAbandoned is null;
            }
        }

        /// <summary>Instances of orchestrator version 2 on (see <see cref="OrchestratorCodeVersion.SegmentEventsInOrder"/>); older ones replay as they ran.</summary>
        private bool TakesSegmentEventsInOrder => OrchestrationVersion.Compare(context.Version, OrchestratorCodeVersion.SegmentEventsInOrder) >= 0;

        /// <summary>Instances of orchestrator version 3 on (see <see cref="OrchestratorCodeVersion.NotificationsBesideTheLoop"/>); older ones await each delivery.</summary>
        private bool NotifiesBesideTheLoop => OrchestrationVersion.Compare(context.Version, OrchestratorCodeVersion.NotificationsBesideTheLoop) >= 0;

        /// <summary>Whether the HLS VOD is packaged segment by segment while recording (until a piece fails; then after the stop).</summary>
        private bool PackagesHlsWhileRecording => command.Template.PostProcessing.Hls && state.HlsAbandoned is null;

        /// <summary>
        /// Post-processing uploads its outputs, so it gets the segment uploads' budget against a destination outage (it starts
        /// at 5 s: each attempt redoes the media work); failures no attempt can fix are not retried.
        /// </summary>
        private TaskOptions PostProcessRetry => new(new RetryPolicy(input.UploadAttempts, TimeSpan.FromSeconds(5), 2.0, TimeSpan.FromMinutes(1))
        {
            HandleFailure = PermanentFailures.IsTransient,
        });

        private AssetTarget Target => new(command.Id, command.StreamId, state.StartedAt, command.Template.Destination);

        private DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

        public async Task<RecordingOutcome> ExecuteAsync()
        {
            state.Executions++;
            if (input.State is null)
            {
                Publish();
                try
                {
                    await context.CallActivityAsync<CaptureJobHandle>(nameof(StartCapture), CaptureRequest(), JobRetry);
                }
                catch (TaskFailedException ex)
                {
                    await FailAsync("capture-start-failed", $"The capture job could not start ({ex.FailureDetails.ErrorMessage}). Check the worker installation and the source.", stopCapture: false);
                }

                phase = RecordingPhases.Recording;
                Publish();
                await NotifyAsync(RecordingEventTypes.Started, new RecordingEventData { RecordingId = command.Id, Sequence = 0, StartTime = state.StartedAt });
            }

            var exited = await RecordAsync();
            if (continueAsNew)
            {
                return Continue();
            }

            return await FinishAsync(exited);
        }

        private RecordingOutcome Continue()
        {
            context.ContinueAsNew(input with { State = state });
            return Outcome();
        }

        /// <summary>
        /// Follows the job's events until it exits (or an execution's worth of segments is done: then <see cref="continueAsNew"/>).
        /// Each closed segment's upload runs beside the loop rather than in it: while a destination outage keeps an upload in its
        /// retries, later segments, a stop request and the maximum duration are still handled, and the uploads catch up together.
        /// </summary>
        private async Task<CaptureExited?> RecordAsync()
        {
            using var timers = new CancellationTokenSource();
            var seen = state.Segments.Select(s => s.Index).ToHashSet();
            var uploads = new List<PendingUpload>();
            splice = SplicesWhileRecording
                ? new InOrderSegmentSteps<FragmentedSpliceState>(
                    context,
                    nameof(AppendToSplice),
                    (index, path) => new AppendToSpliceInput(SplicedPath, path, index, state.Splice),
                    appended => state.Splice = appended,
                    reason => state.SpliceAbandoned = reason,
                    TakesSegmentEventsInOrder ? () => (state.Splice?.LastIndex ?? -1) + 1 : null)
                : null;
            hls = PackagesHlsWhileRecording
                ? new InOrderSegmentSteps<HlsPiece>(
                    context,
                    nameof(PackageSegmentHls),
                    (index, path) => new PackageSegmentHlsInput(Target, path, index, state.HlsPieces.Count == 0 ? TimeSpan.Zero : state.HlsPieces[^1].End, HlsPiecesFolder),
                    piece => state.HlsPieces.Add(piece),
                    reason => state.HlsAbandoned = reason,
                    TakesSegmentEventsInOrder ? () => state.HlsPieces.Count == 0 ? 0 : state.HlsPieces[^1].Index + 1 : null)
                : null;
            var segmentsThisExecution = 0;
            Task? maxDuration = state.StopRequested ? null : context.CreateTimer(state.StartedAt.UtcDateTime + command.Template.MaxDuration + MaxDurationGrace, timers.Token);
            Task<JsonElement>? stop = state.StopRequested ? null : context.WaitForExternalEvent<JsonElement>(CaptureEventNames.Stop);
            Task? stopGuard = state.StopRequestedAt is { } requested ? context.CreateTimer(requested.UtcDateTime + input.StopConfirmationTimeout, timers.Token) : null;
            var capture = context.WaitForExternalEvent<CaptureEvent>(CaptureEventNames.Capture);
            CaptureExited? exited = null;
            Task? overtakenGuard = null;
            try
            {
                while (true)
                {
                    var waits = new List<Task> { capture };
                    waits.AddRange(uploads.Select(u => u.Upload));
                    if (splice?.InFlight is { } appending)
                    {
                        waits.Add(appending);
                    }

                    if (hls?.InFlight is { } packaging)
                    {
                        waits.Add(packaging);
                    }

                    waits.AddRange(new[] { stop, maxDuration, stopGuard, overtakenGuard }.OfType<Task>());
                    var winner = await Task.WhenAny(waits);
                    HarvestNotifications();
                    if (uploads.Exists(u => u.Upload == winner))
                    {
                        await FinishUploadAsync(winner);
                        segmentsThisExecution++;
                    }
                    else if (winner == splice?.InFlight)
                    {
                        await splice.CompleteAsync();
                    }
                    else if (winner == hls?.InFlight)
                    {
                        await hls.CompleteAsync();
                    }
                    else if (winner == capture)
                    {
                        switch (await capture)
                        {
                            case SegmentReady ready when seen.Add(ready.Segment.Index):
                                uploads.Add(StartUpload(ready.Segment));
                                splice?.Add(ready.Segment.Index, Path.Combine(CaptureFolder, ready.Segment.File));
                                hls?.Add(ready.Segment.Index, Path.Combine(CaptureFolder, ready.Segment.File));
                                break;
                            case SourceLost lost when TakesSegmentEventsInOrder && lost.At <= state.ResumedThrough:
                                break; // its resume came first and told the whole gap; the source is back
                            case SourceLost lost:
                                state.Interrupted = true;
                                phase = state.StopRequested ? phase : RecordingPhases.Interrupted;
                                Publish();
                                await NotifyAsync(RecordingEventTypes.Interrupted, Data() with { StartTime = lost.At, EndTime = lost.ResumeDeadline, Reason = "The source dropped; the capture reconnects until the resume window ends." });
                                break;
                            case SourceResumed resumed:
                                state.Interrupted = false;
                                state.ResumedThrough = resumed.Gap.EndedAt;
                                phase = state.StopRequested ? phase : RecordingPhases.Recording;
                                Publish();
                                await NotifyAsync(RecordingEventTypes.Resumed, Data() with { StartTime = resumed.Gap.StartedAt, EndTime = resumed.Gap.EndedAt, Duration = resumed.Gap.EndedAt - resumed.Gap.StartedAt });
                                break;
                            case CaptureExited done:
                                exited = done;
                                break;
                        }

                        if (exited is not null && (!TakesSegmentEventsInOrder || seen.Count >= exited.Segments))
                        {
                            break;
                        }

                        if (exited is not null)
                        {
                            // The end overtook segment events still on their way: they are waited for, as long as a stop is.
                            overtakenGuard ??= context.CreateTimer(Now.UtcDateTime + input.StopConfirmationTimeout, timers.Token);
                        }

                        capture = context.WaitForExternalEvent<CaptureEvent>(CaptureEventNames.Capture);
                    }
                    else if (winner == overtakenGuard || (winner == stopGuard && exited is not null))
                    {
                        state.Errors.Add(new RecordingError("capture-segments-unreported", $"The capture job reported {exited!.Segments} segment(s) at its end, but the events of only {seen.Count} arrived within {input.StopConfirmationTimeout}; post-processing used those.", Now));
                        break;
                    }
                    else if (winner == stopGuard)
                    {
                        state.Errors.Add(new RecordingError("capture-stop-unconfirmed", $"The capture job did not confirm its end within {input.StopConfirmationTimeout}; post-processing used the segments it had reported.", Now));
                        break;
                    }
                    else
                    {
                        if (winner == stop)
                        {
                            stop = null;
                        }
                        else
                        {
                            maxDuration = null;
                        }

                        if (exited is null)
                        {
                            await RequestStopAsync();
                            stopGuard ??= context.CreateTimer(Now.UtcDateTime + input.StopConfirmationTimeout, timers.Token);
                        }
                    }

                    // Continue as new only between events, with no upload, append or delivery in flight (its result would be lost)
                    // and no stop request waiting to be read.
                    if (segmentsThisExecution >= input.ContinueAsNewAfterSegments && uploads.Count == 0 && splice?.IsIdle != false && hls?.IsIdle != false && !state.StopRequested && exited is null
                        && stop is not { IsCompleted: true } && maxDuration is not { IsCompleted: true } && notifications.Count == 0)
                    {
                        continueAsNew = true;
                        return null;
                    }
                }

                // The job has ended (or stopped answering): the segments it reported are still uploading, and all of them go in.
                while (uploads.Count > 0)
                {
                    await FinishUploadAsync(await Task.WhenAny(uploads.Select(u => u.Upload)));
                }

                return exited;
            }
            finally
            {
                // Abandon the open timers so that the instance can complete without waiting for them. Cancel, not CancelAsync:
                // the callbacks must run here, on the orchestrator's thread; an awaited thread-pool task would stall the replay.
#pragma warning disable CA1849
                timers.Cancel();
#pragma warning restore CA1849
            }

            async Task FinishUploadAsync(Task finished)
            {
                var upload = uploads.Single(u => u.Upload == finished);
                uploads.Remove(upload);
                await RecordUploadAsync(upload);
            }
        }

        /// <summary>Asks the job to stop, once; a failure to ask is recorded and the stop guard still bounds the wait.</summary>
        private async Task RequestStopAsync()
        {
            if (state.StopRequested)
            {
                return;
            }

            state.StopRequested = true;
            state.StopRequestedAt = Now;
            phase = RecordingPhases.Stopping;
            Publish();
            try
            {
                await context.CallActivityAsync<bool>(nameof(StopCapture), command.Id, JobRetry);
            }
            catch (TaskFailedException ex)
            {
                state.Errors.Add(new RecordingError("capture-stop-failed", $"The capture job could not be asked to stop ({ex.FailureDetails.ErrorMessage}).", Now));
            }
        }

        private PendingUpload StartUpload(SegmentEntry segment)
        {
            var localPath = Path.Combine(CaptureFolder, segment.File);
            var upload = context.CallActivityAsync<UploadedFile>(
                nameof(UploadSegment),
                new UploadSegmentInput(Target, localPath, segment.Sha256),
                new TaskOptions(new RetryPolicy(input.UploadAttempts, input.UploadFirstRetryInterval, 2.0, TimeSpan.FromMinutes(1)) { HandleFailure = PermanentFailures.IsTransient }));
            return new PendingUpload(segment, localPath, upload);
        }

        /// <summary>Adds a finished upload to the recording (in index order) and announces it; an upload out of retries fails the recording.</summary>
        private async Task RecordUploadAsync(PendingUpload pending)
        {
            var segment = pending.Segment;
            UploadedFile uploaded;
            try
            {
                uploaded = await pending.Upload;
            }
            catch (TaskFailedException ex)
            {
                await FailAsync("segment-upload-failed", $"Segment {segment.Index} could not be uploaded after {input.UploadAttempts} attempts ({ex.FailureDetails.ErrorMessage}). Check the destination's credentials and reachability; the segment is kept in the capture folder.", stopCapture: true);
                return;
            }

            var duration = TimeSpan.FromSeconds(segment.DurationSeconds);
            state.Segments.Add(new UploadedSegment(segment.Index, uploaded.Key, pending.LocalPath, segment.StartedAt, segment.EndedAt, duration, uploaded.Bytes, uploaded.Sha256));
            state.Segments.Sort((a, b) => a.Index.CompareTo(b.Index));
            Publish();
            await NotifyAsync(RecordingEventTypes.SegmentReady, Data() with
            {
                StartTime = segment.StartedAt,
                EndTime = segment.EndedAt,
                FileKey = uploaded.Key,
                SizeBytes = uploaded.Bytes,
                Duration = duration,
                AssetKind = "segments",
            });
        }

        private async Task<RecordingOutcome> FinishAsync(CaptureExited? exited)
        {
            endedAt = exited?.At ?? Now;
            if (exited?.Reason is CaptureExitReason.Failed or CaptureExitReason.DiskLow)
            {
                var what = exited.Reason == CaptureExitReason.DiskLow ? "the capture machine ran low on disk space" : "the capture job failed";
                await FailAsync("capture-" + exited.Reason, $"The recording ended early: {what} ({exited.Detail ?? "no detail"}). {state.Segments.Count} segment(s) recorded before it are kept in the destination.", stopCapture: false);
            }

            if (state.Segments.Count == 0)
            {
                await FailAsync("no-media", "The source delivered no media before the recording ended. Check that the stream is live and that its URL and stream key are right.", stopCapture: false);
            }

            phase = RecordingPhases.PostProcessing;
            Publish();
            var post = command.Template.PostProcessing;
            var work = new PostProcessInput(Target, CaptureFolder, PostFolder) { Rungs = command.Template.Renditions, ThumbnailInterval = command.Template.ThumbnailInterval };
            if (post.Splice || post.Hls || post.Ladder || post.Thumbnails)
            {
                try
                {
                    // The HLS VOD and the splice each finish as soon as their own chain has its last segment, side by side.
                    var hlsBuiltWhileRecording = post.Hls ? FinishHlsBuiltWhileRecordingAsync(work) : Task.FromResult<PostProcessOutput?>(null);
                    var fanOut = new List<Task<PostProcessOutput>>();
                    PostProcessInput? packaged = null;
                    if (post.Splice || post.Ladder || post.Thumbnails)
                    {
                        packaged = await SpliceAsync(work, post.Splice);
                        if (post.Ladder && command.Template.Renditions.Count > 0)
                        {
                            fanOut.Add(TranscodeAsync(MediaJobOperation.Ladder, packaged, nameof(UploadLadder)));
                        }

                        if (post.Thumbnails)
                        {
                            fanOut.Add(TranscodeAsync(MediaJobOperation.Thumbnails, packaged, nameof(UploadThumbnails)));
                        }
                    }

                    if (await hlsBuiltWhileRecording is { } hlsOutput)
                    {
                        Add(hlsOutput.Assets);
                    }
                    else if (post.Hls)
                    {
                        packaged ??= await SpliceAsync(work, upload: false);
                        fanOut.Add(PackageHlsAsync(packaged));
                    }

                    foreach (var output in await Task.WhenAll(fanOut))
                    {
                        Add(output.Assets);
                    }
                }
                catch (TaskFailedException ex)
                {
                    await FailAsync("post-processing-failed", $"Post-processing failed in {ex.TaskName} ({ex.FailureDetails.ErrorMessage}). The segments are in the destination and can be processed again.", stopCapture: false);
                }
                catch (MediaJobFailedException ex)
                {
                    await FailAsync("post-processing-failed", $"Post-processing failed in the {MediaJobLoop.Name(ex.Operation)} job ({ex.Message}). The segments are in the destination and can be processed again.", stopCapture: false);
                }
            }

            phase = RecordingPhases.Notifying;
            Publish();
            // One asset.ready per asset, delivered side by side (their sequence numbers are taken in order before any is sent).
            await Task.WhenAll(assets.Select(asset => NotifyAsync(RecordingEventTypes.AssetReady, Data() with { FileKey = asset.Key, SizeBytes = asset.SizeBytes, Duration = asset.Duration, AssetKind = asset.Kind, StartTime = state.StartedAt, EndTime = endedAt })).ToList());

            var outcome = Outcome();
            await NotifyAsync(RecordingEventTypes.Completed, Data() with
            {
                StartTime = state.StartedAt,
                EndTime = endedAt,
                SizeBytes = outcome.TotalBytes,
                Duration = outcome.RecordedDuration,
                FileKey = assets.FirstOrDefault(a => a.Kind == "spliced")?.Key,
            });

            // Housekeeping after the user has heard: everything deleted here is already verified in the destination.
            try
            {
                await context.CallActivityAsync<int>(nameof(ReleaseLocalFiles), new ReleaseLocalFilesInput(state.Segments.Select(s => s.LocalPath).ToList(), work.WorkFolder), JobRetry);
            }
            catch (TaskFailedException ex)
            {
                // Leftover local files cost disk, not data: report and complete.
                state.Errors.Add(new RecordingError("local-cleanup-failed", $"Local files could not be deleted ({ex.FailureDetails.ErrorMessage}).", Now));
            }

            phase = RecordingPhases.Done;
            Publish();
            await WakeWaitingCompositionsAsync();
            return outcome;
        }

        /// <summary>A transcode from the spliced file as a media worker job, then the upload of what it made.</summary>
        private async Task<PostProcessOutput> TranscodeAsync(MediaJobOperation operation, PostProcessInput packaged, string uploadActivity)
        {
            var request = MediaJob(operation, packaged.SplicedPath ?? throw new InvalidOperationException("A media job starts from the spliced file."), packaged.WorkFolder) with
            {
                Rungs = packaged.Rungs,
                ThumbnailInterval = packaged.ThumbnailInterval,
            };
            var result = await RunMediaJobAsync(request);
            return await context.CallActivityAsync<PostProcessOutput>(uploadActivity, new UploadMediaJobInput(Target, result), PostProcessRetry);
        }

        private MediaJobRequest MediaJob(MediaJobOperation operation, string input, string postFolder) => new()
        {
            JobId = $"{command.Id}:{MediaJobLoop.Name(operation)}",
            Operation = operation,
            Input = input,
            OutputDirectory = PostProcessingFolders.For(postFolder, operation),
            CorrelationId = command.Id,
        };

        /// <summary>A media worker job run to its successful result; see <see cref="MediaJobLoop"/>.</summary>
        private Task<MediaJobResult> RunMediaJobAsync(MediaJobRequest first)
            => new MediaJobLoop(context, command.Id, new MediaJobLimits(input.MediaJobCheckInterval, input.MediaJobTimeout, input.MediaJobStarts), Report).RunAsync(first);

        private void Report(RecordingError error)
        {
            state.Errors.Add(error);
            Publish();
        }

        /// <summary>The spliced file (and, when <paramref name="upload"/>, its asset): finished if it was built while recording, else (or if that fails) made now.</summary>
        private async Task<PostProcessInput> SpliceAsync(PostProcessInput work, bool upload)
        {
            if (splice is not null)
            {
                await splice.DrainAsync();
            }

            PostProcessOutput? spliced = null;
            if (SplicedWhileRecording() is { } built)
            {
                try
                {
                    spliced = await context.CallActivityAsync<PostProcessOutput>(nameof(FinishSplice), new FinishSpliceInput(work with { Upload = upload }, SplicedPath, built), PostProcessRetry);
                }
                catch (TaskFailedException ex)
                {
                    // The file built while recording did not pass; the classic splice starts again from the segments.
                    state.SpliceAbandoned = $"{nameof(FinishSplice)} failed ({ex.FailureDetails.ErrorMessage})";
                }
            }

            spliced ??= await context.CallActivityAsync<PostProcessOutput>(nameof(SpliceSegments), work with { Upload = upload }, PostProcessRetry);
            if (spliced.TranscodeNeeded is not null)
            {
                // Segments that differ (a source that changed resolution mid-recording) are joined by re-encoding: a media job.
                var job = await RunMediaJobAsync(MediaJob(MediaJobOperation.Splice, Path.Combine(work.CaptureFolder, SegmentManifest.FileName), work.WorkFolder) with
                {
                    OutputFileName = Path.GetFileName(SplicedPath),
                });
                spliced = upload
                    ? await context.CallActivityAsync<PostProcessOutput>(nameof(UploadSplice), new UploadMediaJobInput(Target, job), PostProcessRetry)
                    : new PostProcessOutput([], job.Output?.Path);
            }

            Add(spliced.Assets);
            return work with { SplicedPath = spliced.LocalPath };
        }

        /// <summary>The HLS VOD packaged after the stop: by stream copy in an activity, or by a media job when its video must be re-encoded.</summary>
        private async Task<PostProcessOutput> PackageHlsAsync(PostProcessInput packaged)
        {
            var copied = await context.CallActivityAsync<PostProcessOutput>(nameof(PackageHls), packaged, PostProcessRetry);
            if (copied.TranscodeNeeded is null)
            {
                return copied;
            }

            var job = await RunMediaJobAsync(MediaJob(MediaJobOperation.Hls, PackageHls.Required(packaged.SplicedPath), packaged.WorkFolder));
            return await context.CallActivityAsync<PostProcessOutput>(nameof(UploadHls), new UploadMediaJobInput(Target, job), PostProcessRetry);
        }

        /// <summary>Writes the playlist of the HLS VOD packaged while recording, once its last piece is in; null when it must be packaged the classic way (also when that playlist fails).</summary>
        private async Task<PostProcessOutput?> FinishHlsBuiltWhileRecordingAsync(PostProcessInput work)
        {
            if (hls is null)
            {
                return null;
            }

            await hls.DrainAsync();
            if (HlsPackagedWhileRecording() is not { } pieces)
            {
                return null;
            }

            try
            {
                return await context.CallActivityAsync<PostProcessOutput>(nameof(FinishHls), new FinishHlsInput(work, pieces, HlsPiecesFolder), PostProcessRetry);
            }
            catch (TaskFailedException ex)
            {
                // The pieces did not make a VOD that passes; it is packaged again the classic way, from the spliced file.
                state.HlsAbandoned = $"{nameof(FinishHls)} failed ({ex.FailureDetails.ErrorMessage})";
                return null;
            }
        }

        /// <summary>The splice built while recording, when it holds every uploaded segment; null sends post-processing the classic way.</summary>
        private FragmentedSpliceState? SplicedWhileRecording() =>
            state.SpliceAbandoned is null && state.Splice is { Segments: > 0 } built && state.Segments.All(s => s.Index <= built.LastIndex) ? built : null;

        /// <summary>The HLS pieces packaged while recording, when there is one for every uploaded segment; null packages the VOD the classic way.</summary>
        private List<HlsPiece>? HlsPackagedWhileRecording()
        {
            var packaged = state.HlsPieces.Select(p => p.Index).ToHashSet();
            return state.HlsAbandoned is null && state.HlsPieces.Count > 0 && state.Segments.All(s => packaged.Contains(s.Index)) ? state.HlsPieces : null;
        }

        /// <summary>Sends <c>recording.failed</c>, records the error in the status and ends the instance as Failed; nothing recorded is deleted.</summary>
        private async Task FailAsync(string code, string message, bool stopCapture)
        {
            if (stopCapture)
            {
                try
                {
                    await context.CallActivityAsync<bool>(nameof(StopCapture), command.Id, JobRetry);
                }
                catch (TaskFailedException)
                {
                    // Failing anyway; the job's own time limit ends it.
                }
            }

            state.Errors.Add(new RecordingError(code, message, Now));
            endedAt ??= Now;
            phase = RecordingPhases.Failed;
            Publish();
            await NotifyAsync(RecordingEventTypes.Failed, Data() with { StartTime = state.StartedAt, EndTime = endedAt, Reason = message });
            await WakeWaitingCompositionsAsync();
            throw new RecordingFailedException(code, message);
        }

        /// <summary>
        /// The last step, once the status says done or failed: compositions waiting for this recording check it now rather than at
        /// their next pause. A nudge only: if it cannot be sent, they find out at their next check.
        /// </summary>
        private async Task WakeWaitingCompositionsAsync()
        {
            try
            {
                await context.CallActivityAsync<int>(nameof(WakeWaitingCompositions), command.Id, JobRetry);
            }
            catch (TaskFailedException)
            {
                // Their next check reads the same status.
            }
        }

        /// <summary>
        /// Delivers one event to the template's receivers. From version 3 an event other than the final one is only sent off: its
        /// delivery runs beside the recording (<see cref="notifications"/>) and the final event waits for all of them.
        /// </summary>
        private async Task NotifyAsync(string type, RecordingEventData data)
        {
            var settings = command.Template.Notifications;
            var sequence = state.NextSequence();
            if (settings.Webhooks.Count == 0 && settings.EventGrid is null)
            {
                return;
            }

            var final = type is RecordingEventTypes.Completed or RecordingEventTypes.Failed;
            if (NotifiesBesideTheLoop && final)
            {
                await DrainNotificationsAsync();
            }

            var delivery = context.CallActivityAsync<int>(nameof(NotifyRecording), new NotifyInput(new RecordingEvent(type, Now, data with { Sequence = sequence }), settings), NotificationRetry.Options);
            if (NotifiesBesideTheLoop && !final)
            {
                notifications.Add(new PendingNotification(type, delivery));
                return;
            }

            await Task.WhenAny(delivery);
            RecordDelivery(type, delivery);
        }

        /// <summary>Takes in the deliveries that have ended (no wait): a failed one is named in the status.</summary>
        private void HarvestNotifications()
        {
            foreach (var ended in notifications.Where(n => n.Delivery.IsCompleted).ToList())
            {
                notifications.Remove(ended);
                RecordDelivery(ended.Type, ended.Delivery);
            }
        }

        private async Task DrainNotificationsAsync()
        {
            while (notifications.Count > 0)
            {
                await Task.WhenAny(notifications.Select(n => n.Delivery));
                HarvestNotifications();
            }
        }

        private void RecordDelivery(string type, Task delivery)
        {
            if (delivery.Exception?.InnerException is TaskFailedException ex)
            {
                state.Errors.Add(new RecordingError("notification-failed", $"The {type} event could not be delivered ({ex.FailureDetails.ErrorMessage}); see the delivery log.", Now));
            }
        }

        private RecordingEventData Data() => new() { RecordingId = command.Id, Sequence = 0, StreamId = command.StreamId };

        private CaptureJobRequest CaptureRequest() => new()
        {
            RecordingId = command.Id,
            SourceUrl = command.Sources[0],
            OutputDirectory = CaptureFolder,
            Format = command.Template.Format,
            SegmentLength = command.Template.SegmentLength,
            ResumeWindow = command.Template.ResumeWindow,
            MaxDuration = command.Template.MaxDuration,
            AllowPrivateNetworks = input.AllowPrivateNetworks,
        };

        private void Add(IReadOnlyList<RecordingAsset> produced) => assets.AddRange(produced);

        private RecordingOutcome Outcome() => new(
            state.Segments.Count,
            state.Segments.Sum(s => s.SizeBytes),
            TimeSpan.FromTicks(state.Segments.Sum(s => s.Duration.Ticks)),
            assets.ToList());

        private void Publish() => context.SetCustomStatus(new RecordingProgress
        {
            Phase = phase,
            StartedAt = state.StartedAt,
            EndedAt = endedAt,
            Segments = state.Segments.Select(s => new RecordingSegment(s.Index, s.Key, s.StartedAt, s.EndedAt, s.Duration, s.SizeBytes)).ToList(),
            TotalBytes = state.Segments.Sum(s => s.SizeBytes),
            RecordedDuration = TimeSpan.FromTicks(state.Segments.Sum(s => s.Duration.Ticks)),
            Assets = assets.ToList(),
            Errors = state.Errors.ToList(),
        });
    }

    /// <summary>A segment whose upload activity is scheduled and not finished yet.</summary>
    private sealed record PendingUpload(SegmentEntry Segment, string LocalPath, Task<UploadedFile> Upload);

    private sealed record PendingNotification(string Type, Task Delivery);
}
