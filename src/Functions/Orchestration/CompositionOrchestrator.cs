using Recording.Durable.Orchestrations;
using Recording.Functions.Compositions;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration;

/// <summary>
/// One composition: fetch each participant's spliced recording beside a timeline of who was present when, compose them in a
/// media worker job (DESIGN.md: long media work never runs inside an activity), upload the composite, release the local files,
/// and send <c>composition.completed</c> (or <c>composition.failed</c>) to the first track's recording's webhooks.
/// </summary>
/// <remarks>Replayed from history: no I/O, clock or GUIDs here, only activities, timers and events.</remarks>
public sealed class CompositionOrchestrator : TaskOrchestrator<CompositionOrchestrationInput, RecordingAsset>
{
    private static readonly TaskOptions NotifyRetry = new(new RetryPolicy(3, TimeSpan.FromSeconds(2), 2.0));

    /// <summary>The instance id of a composition: recording ids have no ':', so the two can never meet.</summary>
    public static string InstanceId(string compositionId) => "composition:" + compositionId;

    public override Task<RecordingAsset> RunAsync(TaskOrchestrationContext context, CompositionOrchestrationInput input) => new Run(context, input).ExecuteAsync();

    private sealed class Run(TaskOrchestrationContext context, CompositionOrchestrationInput input)
    {
        private readonly CompositionCommand command = input.Command;
        private readonly List<RecordingError> errors = [];
        private readonly TaskOptions retry = new(new RetryPolicy(input.UploadAttempts, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromMinutes(1)));
        private string phase = CompositionProgress.Preparing;

        private DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

        public async Task<RecordingAsset> ExecuteAsync()
        {
            try
            {
                Publish();
                var timeline = await context.CallActivityAsync<string>(nameof(FetchCompositionTracks), new FetchCompositionTracksInput(input.Sources, input.WorkFolder, input.Duration), retry);

                phase = CompositionProgress.Composing;
                Publish();
                var composed = await new MediaJobLoop(context, context.InstanceId, input.MediaJobs, Report).RunAsync(new MediaJobRequest
                {
                    JobId = $"{context.InstanceId}:compose",
                    Operation = MediaJobOperation.Compose,
                    Input = timeline,
                    OutputDirectory = Path.Combine(input.WorkFolder, "composite"),
                    OutputFileName = command.Id + ".mp4",
                    Composite = new MediaJobComposite { Layout = command.Layout, Size = command.Size, Roles = command.Roles, NameLabels = command.NameLabels },
                    CorrelationId = context.InstanceId,
                });

                phase = CompositionProgress.Uploading;
                Publish();
                var composite = await context.CallActivityAsync<RecordingAsset>(nameof(UploadComposite), new UploadMediaJobInput(input.Target, composed), retry);
                await context.CallActivityAsync<int>(nameof(ReleaseLocalFiles), new ReleaseLocalFilesInput([], input.WorkFolder), retry);
                await NotifyAsync(RecordingEventTypes.CompositionCompleted, Data() with
                {
                    EndTime = input.Target.StartedAt + TimeSpan.FromSeconds(input.Duration),
                    FileKey = composite.Key,
                    SizeBytes = composite.SizeBytes,
                    Duration = composite.Duration,
                    AssetKind = composite.Kind,
                });
                phase = CompositionProgress.Done;
                Publish(composite);
                return composite;
            }
            catch (Exception ex) when (ex is TaskFailedException or MediaJobFailedException)
            {
                // The tracks' recordings are untouched: the same request under a new id composes again.
                var reason = $"The composition failed in the {phase} phase: {(ex is TaskFailedException failed ? failed.FailureDetails.ErrorMessage : ex.Message)}";
                errors.Add(new RecordingError("composition-failed", reason, Now));
                phase = CompositionProgress.Failed;
                await NotifyAsync(RecordingEventTypes.CompositionFailed, Data() with { Reason = reason });
                Publish();
                throw;
            }
        }

        /// <summary>A composition ends once, in one event: sequence 1 of its own.</summary>
        private RecordingEventData Data() => new() { CompositionId = command.Id, Sequence = 1, StreamId = input.Target.StreamId, StartTime = input.Target.StartedAt };

        private async Task NotifyAsync(string type, RecordingEventData data)
        {
            var settings = input.Notifications;
            if (settings.Webhooks.Count == 0 && settings.EventGrid is null)
            {
                return;
            }

            try
            {
                await context.CallActivityAsync<int>(nameof(NotifyRecording), new NotifyInput(new RecordingEvent(type, Now, data), settings), NotifyRetry);
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

        private void Publish(RecordingAsset? composite = null) =>
            context.SetCustomStatus(new CompositionProgress { Phase = phase, Errors = [.. errors], Assets = composite is null ? [] : [composite] });
    }
}
