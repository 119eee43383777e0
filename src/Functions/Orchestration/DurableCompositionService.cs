using Microsoft.Extensions.Options;
using Recording.Durable.Client;
using Recording.Durable.Instances;
using Recording.Functions.Compositions;
using Recording.Functions.Jobs;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Functions.Templates;
using Recording.Functions.Validation;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration;

/// <summary>
/// <see cref="ICompositionService"/> on the durable engine: one <see cref="CompositionOrchestrator"/> instance per composition.
/// A start reads each participant's recording from the engine (it must have completed with a spliced file) and places its
/// stretches on the timeline by their segments' wall-clock times (<see cref="TrackPresences"/>), so the orchestration's input
/// holds everything it will do.
/// </summary>
public sealed class DurableCompositionService(
    DurableTaskClient client,
    RecordingWorkspace workspace,
    AssetUrlSigner signer,
    IOptions<RecordingOrchestrationOptions> options) : ICompositionService
{
    public async Task<CompositionStartResult> StartAsync(CompositionCommand command, CancellationToken cancellationToken = default)
    {
        var instanceId = CompositionOrchestrator.InstanceId(command.Id);
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is not null)
        {
            return new CompositionStartResult(command.Id, Created: false);
        }

        var errors = new ValidationErrors();
        var recordings = new List<FinishedRecording>();
        for (var i = 0; i < command.Participants.Count; i++)
        {
            if (await FinishedRecordingAsync(command.Participants[i].RecordingId, $"tracks[{i}].recordingId", errors, cancellationToken) is { } recording)
            {
                recordings.Add(recording);
            }
        }

        if (!errors.IsEmpty)
        {
            return new CompositionStartResult(command.Id, Created: false, errors);
        }

        // Participants are placed by wall clock, against the earliest first segment of all.
        var origin = recordings.Min(r => r.Segments.Min(s => s.StartedAt));
        var sources = command.Participants.Zip(recordings, (participant, recording) => new CompositionSource(
            new ComposedTrack(participant.RecordingId, participant.Participant, participant.Role, TrackPresences.Place(recording.Segments, origin, recording.Duration)),
            recording.Target,
            recording.SplicedKey)).ToList();

        var settings = options.Value;
        var input = new CompositionOrchestrationInput
        {
            Command = command,
            Sources = sources,
            // Beside the first participant's recording: its destination, its stream (a room's recordings share the room's id).
            Target = recordings[0].Target with { RecordingId = command.Id, StartedAt = origin },
            WorkFolder = workspace.CompositionFolder(command.Id),
            MediaJobs = new MediaJobLimits(settings.MediaJobCheckInterval, settings.MediaJobTimeout, settings.MediaJobStarts),
            UploadAttempts = settings.UploadAttempts,
            Notifications = recordings[0].Notifications,
        };
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(CompositionOrchestrator), input, new StartOrchestrationOptions(instanceId), cancellationToken);
        return new CompositionStartResult(command.Id, Created: true);
    }

    public async Task<CompositionStatus?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(CompositionOrchestrator.InstanceId(id), cancellationToken);
        if (metadata is null || metadata.Name != nameof(CompositionOrchestrator) || metadata.ReadInputAs<CompositionOrchestrationInput>() is not { } input)
        {
            return null;
        }

        var progress = metadata.ReadCustomStatusAs<CompositionProgress>();
        var errors = progress?.Errors.ToList() ?? [];
        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && errors.Count == 0)
        {
            errors.Add(new RecordingError("orchestration-failed", metadata.FailureDetails?.ErrorMessage ?? "The composition failed.", metadata.LastUpdatedAt));
        }

        return new CompositionStatus
        {
            Id = id,
            RuntimeStatus = Enum.Parse<RecordingRuntimeStatus>(metadata.RuntimeStatus.ToString()),
            Phase = progress?.Phase ?? CompositionProgress.Preparing,
            Layout = input.Command.Layout.ToString().ToLowerInvariant(),
            Size = input.Command.Size,
            Roles = input.Command.Roles,
            Tracks = [.. input.Sources.Select(s => s.Track)],
            Duration = TimeSpan.FromSeconds(input.Duration),
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            Assets = await signer.SignAsync(input.Target, progress?.Assets ?? [], cancellationToken),
            Errors = errors,
        };
    }

    /// <summary>A participant's recording, if it can be composed; else the reason, under <paramref name="field"/>.</summary>
    private async Task<FinishedRecording?> FinishedRecordingAsync(string recordingId, string field, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(recordingId, cancellationToken);
        if (metadata is null || metadata.Name != nameof(RecordingOrchestrator) || metadata.ReadInputAs<RecordingOrchestrationInput>() is not { } input)
        {
            errors.Add(field, $"must name an existing recording (there is no recording '{recordingId}')");
            return null;
        }

        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            errors.Add(field, $"must name a completed recording (recording '{recordingId}' is {metadata.RuntimeStatus})");
            return null;
        }

        var progress = metadata.ReadCustomStatusAs<RecordingProgress>();
        var spliced = progress?.Assets.FirstOrDefault(a => a.Kind == ObjectKind.Spliced.Path);
        if (progress is null || spliced is null || progress.Segments.Count == 0)
        {
            errors.Add(field, $"must name a recording with a spliced file (recording '{recordingId}' has none: its template's postProcessing.splice was off, or it recorded nothing)");
            return null;
        }

        var target = new AssetTarget(recordingId, input.Command.StreamId, progress.StartedAt ?? metadata.CreatedAt, input.Command.Template.Destination);
        return new FinishedRecording(target, spliced.Key, progress.Segments, spliced.Duration ?? progress.RecordedDuration, input.Command.Template.Notifications);
    }

    private sealed record FinishedRecording(AssetTarget Target, string SplicedKey, IReadOnlyList<RecordingSegment> Segments, TimeSpan Duration, NotificationSettings Notifications);
}
