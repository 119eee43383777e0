using Recording.Durable.Orchestrations;
using Recording.Functions.Compositions;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration;

/// <summary>
/// One composition: wait for its recordings to complete (a room just ended is still post-processing), place them on the
/// timeline, fetch each participant's spliced file beside it, compose them in a media worker job (DESIGN.md: long media work
/// never runs inside an activity), upload the composite, release the local files, and send <c>composition.completed</c> (or
/// <c>composition.failed</c>) to the first track's recording's webhooks. Canceled through the API (<see cref="CancelEvent"/>), it
/// stops where it is: a wait ends, a running compose job is canceled (its worker stops ffmpeg), and no composite is uploaded.
/// </summary>
/// <remarks>Replayed from history: no I/O, clock or GUIDs here, only activities, timers and events.</remarks>
public sealed class CompositionOrchestrator : TaskOrchestrator<CompositionOrchestrationInput, RecordingAsset>
{
    private static readonly TaskOptions ShortRetry = new(new RetryPolicy(3, TimeSpan.FromSeconds(2), 2.0));

    /// <summary>The longest pause between checks of recordings still going, unless the first pause is longer already.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);

    /// <summary>The external event that cancels a composition; its data is the reason.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>The external event a recording's end raises on the compositions waiting for it; its data is the recording's id.</summary>
    public const string RecordingEndedEvent = "recording-ended";

    /// <summary>The instance id of a composition: recording ids have no ':', so the two can never meet.</summary>
    public static string InstanceId(string compositionId) => "composition:" + compositionId;

    public override Task<RecordingAsset> RunAsync(TaskOrchestrationContext context, CompositionOrchestrationInput input) => new Run(context, input).ExecuteAsync();

    private sealed class Run(TaskOrchestrationContext context, CompositionOrchestrationInput input)
    {
        private readonly CompositionCommand command = input.Command;
        private readonly List<RecordingError> errors = [];
        private readonly TaskOptions retry = new(new RetryPolicy(input.UploadAttempts, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromMinutes(1)));

        // Listened for from the start, so that a cancel raised at any moment is heard, in the same place on every replay.
        private readonly Task<string> cancelRequested = context.WaitForExternalEvent<string>(CancelEvent);

        // The next recording end heard while waiting (WakeWaitingCompositions); listened for again after each.
        private Task<string> recordingEnded = context.WaitForExternalEvent<string>(RecordingEndedEvent);

        private string phase = CompositionProgress.Waiting;
        private IReadOnlyList<string> waitingFor = [];
        private ResolvedComposition? resolved;
        private RecordingAsset? composite;

        private DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

        public async Task<RecordingAsset> ExecuteAsync()
        {
            try
            {
                if (await WaitForRecordingsAsync() is not { } ready)
                {
                    // Continued as new: the next execution waits on; this one's result is not kept.
                    return null!;
                }

                phase = CompositionProgress.Preparing;
                Publish();
                var timeline = await context.CallActivityAsync<string>(nameof(FetchCompositionTracks), new FetchCompositionTracksInput(ready.Sources, input.WorkFolder), retry);

                await ThrowIfCancelRequestedAsync();
                phase = CompositionProgress.Composing;
                Publish();
                var composed = await new MediaJobLoop(context, context.InstanceId, input.MediaJobs, Report, cancelRequested).RunAsync(new MediaJobRequest
                {
                    JobId = $"{context.InstanceId}:compose",
                    Operation = MediaJobOperation.Compose,
                    Input = timeline,
                    OutputDirectory = Path.Combine(input.WorkFolder, "composite"),
                    OutputFileName = command.Id + ".mp4",
                    Composite = new MediaJobComposite { Layout = command.Layout, Size = command.Size, Roles = command.Roles, NameLabels = command.NameLabels },
                    CorrelationId = context.InstanceId,
                });

                await ThrowIfCancelRequestedAsync();
                phase = CompositionProgress.Uploading;
                Publish();
                composite = await context.CallActivityAsync<RecordingAsset>(nameof(UploadComposite), new UploadMediaJobInput(ready.Target, composed), retry);
                await ReleaseWorkFolderAsync();
                await NotifyAsync(RecordingEventTypes.CompositionCompleted, Data() with
                {
                    EndTime = ready.Target.StartedAt + TimeSpan.FromSeconds(ready.Duration),
                    FileKey = composite.Key,
                    SizeBytes = composite.SizeBytes,
                    Duration = composite.Duration,
                    AssetKind = composite.Kind,
                });
                phase = CompositionProgress.Done;
                Publish();
                return composite;
            }
            catch (Exception ex) when (ex is TaskFailedException or MediaJobFailedException or CompositionRefusedException)
            {
                // The tracks' recordings are untouched: the same request under a new id composes again.
                var reason = $"The composition failed while {phase}: {(ex is TaskFailedException failed ? failed.FailureDetails.ErrorMessage : ex.Message)}";
                errors.Add(new RecordingError("composition-failed", reason, Now));
                phase = CompositionProgress.Failed;
                await NotifyAsync(RecordingEventTypes.CompositionFailed, Data() with { Reason = reason });
                Publish();
                throw;
            }
            catch (CancelRequestedException canceled)
            {
                var reason = $"The composition was canceled while {phase}: {canceled.Reason}";
                errors.Add(new RecordingError("composition-canceled", reason, Now));
                phase = CompositionProgress.Canceled;
                waitingFor = [];
                Publish();
                await ReleaseWorkFolderAsync();
                await NotifyAsync(RecordingEventTypes.CompositionFailed, Data() with { Reason = reason });
                throw;
            }
        }

        /// <summary>Between steps: a cancel heard while an activity ran stops the composition before the next one.</summary>
        private async Task ThrowIfCancelRequestedAsync()
        {
            if (cancelRequested.IsCompleted)
            {
                throw new CancelRequestedException(await cancelRequested);
            }
        }

        /// <summary>
        /// Removes the fetched tracks and the local composite (done, or partial when canceled). A folder that cannot be removed
        /// costs disk, not the composition: it is reported, and DELETE removes it later.
        /// </summary>
        private async Task ReleaseWorkFolderAsync()
        {
            try
            {
                await context.CallActivityAsync<int>(nameof(ReleaseLocalFiles), new ReleaseLocalFilesInput([], input.WorkFolder), retry);
            }
            catch (TaskFailedException ex)
            {
                errors.Add(new RecordingError("release-failed", $"The composition's local files could not be removed ({ex.FailureDetails.ErrorMessage}); DELETE removes them.", Now));
                Publish();
            }
        }

        /// <summary>
        /// Asks where the recordings stand until all have completed, waiting between asks (the first pause, 5 s by default,
        /// doubling to a minute: a recording's post-processing takes seconds to an hour) or until a recording's end wakes it
        /// (<see cref="RecordingEndedEvent"/>), at most <see cref="CompositionOrchestrationInput.WaitTimeout"/>. After
        /// <see cref="CompositionOrchestrationInput.WaitChecksPerExecution"/> asks it continues as new with the deadline, the next
        /// pause and the recordings it waits for, and returns null; a cancel raised meanwhile is carried to the next execution.
        /// </summary>
        private async Task<ResolvedComposition?> WaitForRecordingsAsync()
        {
            var deadline = input.Wait?.Deadline ?? context.CurrentUtcDateTime + input.WaitTimeout;
            var wait = input.Wait?.NextPause ?? input.FirstCheckPause;
            var longestWait = input.FirstCheckPause > LongestWait ? input.FirstCheckPause : LongestWait;
            // Published before the first check, for WakeWaitingCompositions to find: each episode writes the status anew, so a
            // continued wait publishes the list it carried, rather than none until its first check returns.
            waitingFor = input.Wait?.WaitingFor ?? [];
            Publish();

            for (var checks = 1; ; checks++)
            {
                var tracks = await context.CallActivityAsync<CompositionTracks>(nameof(ResolveCompositionTracks), command, ShortRetry);
                if (tracks.Refused.Count > 0)
                {
                    throw new CompositionRefusedException(string.Join("; ", tracks.Refused.Select(r => $"{r.Field} {r.Rule}")));
                }

                if (tracks.Ready is { } ready)
                {
                    resolved = ready;
                    waitingFor = [];
                    return ready;
                }

                if (context.CurrentUtcDateTime >= deadline)
                {
                    throw new CompositionRefusedException($"the recordings {string.Join(", ", tracks.Waiting)} did not complete within {input.WaitTimeout}");
                }

                if (!waitingFor.SequenceEqual(tracks.Waiting))
                {
                    waitingFor = tracks.Waiting;
                    Publish();
                }

                var until = context.CurrentUtcDateTime + wait;
                using var timerCancel = new CancellationTokenSource();
                var timer = context.CreateTimer(until < deadline ? until : deadline, timerCancel.Token);
                var first = await Task.WhenAny(timer, cancelRequested, recordingEnded);
                if (first != timer)
                {
                    // Cancel, not CancelAsync: the callbacks must run on the orchestrator's thread (see the capture loop's timers).
#pragma warning disable CA1849
                    timerCancel.Cancel();
#pragma warning restore CA1849
                }

                if (first == cancelRequested)
                {
                    throw new CancelRequestedException(await cancelRequested);
                }

                if (first == recordingEnded)
                {
                    // One of the recordings has ended: check at once, without lengthening the pause.
                    recordingEnded = context.WaitForExternalEvent<string>(RecordingEndedEvent);
                }
                else
                {
                    wait = wait * 2 < longestWait ? wait * 2 : longestWait;
                }

                if (checks >= input.WaitChecksPerExecution)
                {
                    context.ContinueAsNew(input with { Wait = new CompositionWait(deadline, wait, waitingFor) });
                    return null;
                }
            }
        }

        /// <summary>A composition ends once, in one event: sequence 1 of its own.</summary>
        private RecordingEventData Data() => new() { CompositionId = command.Id, Sequence = 1, StreamId = resolved?.Target.StreamId, StartTime = resolved?.Target.StartedAt };

        private async Task NotifyAsync(string type, RecordingEventData data)
        {
            // Unknown before the recordings were read: a composition refused while waiting tells only its status.
            if (resolved?.Notifications is not { } settings || (settings.Webhooks.Count == 0 && settings.EventGrid is null))
            {
                return;
            }

            try
            {
                await context.CallActivityAsync<int>(nameof(NotifyRecording), new NotifyInput(new RecordingEvent(type, Now, data), settings), NotificationRetry.Options);
            }
            catch (TaskFailedException ex)
            {
                errors.Add(new RecordingError("notification-failed", $"The {type} event could not be delivered ({ex.FailureDetails.ErrorMessage}); see the delivery log.", Now));
            }
        }

        private void Report(RecordingError error)
        {
            errors.Add(error);
            Publish();
        }

        private void Publish() => context.SetCustomStatus(new CompositionProgress
        {
            Phase = phase,
            WaitingFor = waitingFor,
            Tracks = resolved is null ? [] : [.. resolved.Sources.Select(s => s.Track)],
            Duration = resolved?.Duration ?? 0,
            Assets = composite is null ? [] : [composite],
            Errors = [.. errors],
        });
    }
}
