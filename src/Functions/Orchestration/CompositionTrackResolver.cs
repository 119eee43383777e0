using Recording.Durable.Client;
using Recording.Durable.Instances;
using Recording.Functions.Compositions;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Functions.Templates;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration;

/// <summary>
/// Reads a composition's recordings from the engine: each is ready (completed with a spliced file), still going (its
/// orchestration runs: recording or post-processing), or refused (unknown, failed, or completed without a spliced file).
/// Ready everywhere, the tracks are placed on the timeline by their segments' wall-clock times (<see cref="TrackPresences"/>).
/// </summary>
public sealed class CompositionTrackResolver(DurableTaskClient client)
{
    public async Task<CompositionTracks> ResolveAsync(CompositionCommand command, CancellationToken cancellationToken = default)
    {
        var refused = new List<(int Index, string Rule)>();
        var waiting = new List<string>();
        var ready = new List<FinishedRecording>();
        for (var i = 0; i < command.Participants.Count; i++)
        {
            var recordingId = command.Participants[i].RecordingId;
            var readiness = await ReadAsync(recordingId, cancellationToken);
            if (readiness.Finished is { } finished)
            {
                ready.Add(finished);
            }
            else if (readiness.Refusal is { } rule)
            {
                refused.Add((i, rule));
            }
            else
            {
                waiting.Add(recordingId);
            }
        }

        if (refused.Count > 0 || waiting.Count > 0)
        {
            return new CompositionTracks(null, waiting, refused.Select(r => new CompositionTrackRefusal($"tracks[{r.Index}].recordingId", r.Rule)).ToList());
        }

        // Participants are placed by wall clock, against the earliest first segment of all.
        var origin = ready.Min(r => r.Segments.Min(s => s.StartedAt));
        var sources = command.Participants.Zip(ready, (participant, recording) => new CompositionSource(
            new ComposedTrack(participant.RecordingId, participant.Participant, participant.Role, TrackPresences.Place(recording.Segments, origin, recording.Duration)),
            recording.Target,
            recording.SplicedKey)).ToList();
        // Beside the first participant's recording: its destination, its stream (a room's recordings share the room's id).
        var target = ready[0].Target with { RecordingId = command.Id, StartedAt = origin };
        return new CompositionTracks(new ResolvedComposition(sources, target, ready[0].Notifications), [], []);
    }

    /// <summary>The destination a composition's composite went to (its first track's recording's), to sign its URL; null once that recording is gone.</summary>
    public async Task<AssetTarget?> CompositeTargetAsync(string compositionId, CompositionCommand command, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(command.Participants[0].RecordingId, cancellationToken);
        return metadata?.ReadInputAs<RecordingOrchestrationInput>() is { } input
            ? new AssetTarget(compositionId, input.Command.StreamId, metadata.CreatedAt, input.Command.Template.Destination)
            : null;
    }

    /// <summary>The finished recording, the rule it breaks, or neither while it is still going.</summary>
    private async Task<Readiness> ReadAsync(string recordingId, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(recordingId, cancellationToken);
        if (metadata is null || metadata.Name != nameof(RecordingOrchestrator) || metadata.ReadInputAs<RecordingOrchestrationInput>() is not { } input)
        {
            return new(null, $"must name an existing recording (there is no recording '{recordingId}')");
        }

        // A recording's last step, after its status says done (or failed), is to wake the compositions waiting for it
        // (WakeWaitingCompositions): they read it then, while its orchestration is still running that step.
        var progress = metadata.ReadCustomStatusAs<RecordingProgress>();
        if (metadata.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated || progress?.Phase == RecordingPhases.Failed)
        {
            var ended = metadata.RuntimeStatus is OrchestrationRuntimeStatus.Terminated ? "Terminated" : "Failed";
            return new(null, $"must name a recording that did not fail (recording '{recordingId}' is {ended})");
        }

        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed && progress?.Phase != RecordingPhases.Done)
        {
            return new(null, null);
        }

        var spliced = progress?.Assets.FirstOrDefault(a => a.Kind == ObjectKind.Spliced.Path);
        if (progress is null || spliced is null || progress.Segments.Count == 0)
        {
            return new(null, $"must name a recording with a spliced file (recording '{recordingId}' has none: its template's postProcessing.splice was off, or it recorded nothing)");
        }

        var target = new AssetTarget(recordingId, input.Command.StreamId, progress.StartedAt ?? metadata.CreatedAt, input.Command.Template.Destination);
        return new(new FinishedRecording(target, spliced.Key, progress.Segments, spliced.Duration ?? progress.RecordedDuration, input.Command.Template.Notifications), null);
    }

    private sealed record Readiness(FinishedRecording? Finished, string? Refusal);

    private sealed record FinishedRecording(AssetTarget Target, string SplicedKey, IReadOnlyList<RecordingSegment> Segments, TimeSpan Duration, NotificationSettings Notifications);
}
