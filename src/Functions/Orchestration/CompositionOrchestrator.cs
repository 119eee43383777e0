using Recording.Durable.Orchestrations;
using Recording.Functions.Compositions;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration;

/// <summary>
/// One composition: fetch each participant's spliced recording beside a timeline of who was present when, compose them in a
/// media worker job (DESIGN.md: long media work never runs inside an activity), upload the composite, release the local files.
/// </summary>
/// <remarks>Replayed from history: no I/O, clock or GUIDs here, only activities, timers and events.</remarks>
public sealed class CompositionOrchestrator : TaskOrchestrator<CompositionOrchestrationInput, RecordingAsset>
{
    /// <summary>The instance id of a composition: recording ids have no ':', so the two can never meet.</summary>
    public static string InstanceId(string compositionId) => "composition:" + compositionId;

    public static string CompositionId(string instanceId) => instanceId["composition:".Length..];

    public override async Task<RecordingAsset> RunAsync(TaskOrchestrationContext context, CompositionOrchestrationInput input)
    {
        var errors = new List<RecordingError>();
        var phase = CompositionProgress.Preparing;
        void Publish(RecordingAsset? composite = null) =>
            context.SetCustomStatus(new CompositionProgress { Phase = phase, Errors = [.. errors], Assets = composite is null ? [] : [composite] });

        var retry = new TaskOptions(new RetryPolicy(input.UploadAttempts, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromMinutes(1)));
        var command = input.Command;
        try
        {
            Publish();
            var timeline = await context.CallActivityAsync<string>(nameof(FetchCompositionTracks), new FetchCompositionTracksInput(input.Sources, input.WorkFolder, input.Duration), retry);

            phase = CompositionProgress.Composing;
            Publish();
            var jobs = new MediaJobLoop(context, context.InstanceId, input.MediaJobs, error =>
            {
                errors.Add(error);
                Publish();
            });
            var composed = await jobs.RunAsync(new MediaJobRequest
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

            phase = CompositionProgress.Done;
            Publish(composite);
            return composite;
        }
        catch (Exception ex) when (ex is TaskFailedException or MediaJobFailedException)
        {
            // The tracks' recordings are untouched; the same request under a new id composes again.
            var message = ex is TaskFailedException failed ? failed.FailureDetails.ErrorMessage : ex.Message;
            errors.Add(new RecordingError("composition-failed", $"The composition failed in the {phase} phase: {message}", new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero)));
            phase = CompositionProgress.Failed;
            Publish();
            throw;
        }
    }
}
