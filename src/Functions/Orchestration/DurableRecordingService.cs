using Microsoft.Extensions.Options;
using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Instances;
using Recording.Functions.Jobs;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Jobs;
using Recording.Media.Sources;

namespace Recording.Functions.Orchestration;

/// <summary><see cref="IRecordingService"/> on the durable engine: one <see cref="RecordingOrchestrator"/> instance per recording, its id the recording id.</summary>
public sealed class DurableRecordingService(
    DurableTaskClient client,
    RecordingWorkspace workspace,
    RecordingDestinations destinations,
    ICaptureJobRunner jobs,
    AssetUrlSigner signer,
    IOptions<RecordingOrchestrationOptions> options) : IRecordingService
{
    public async Task<RecordingStartResult> StartAsync(RecordingStartCommand command, CancellationToken cancellationToken = default)
    {
        // An id is a recording for good: a second start, even after the first ended, creates nothing.
        if (await client.GetInstanceAsync(command.Id, cancellationToken) is not null)
        {
            return new RecordingStartResult(command.Id, Created: false);
        }

        var settings = options.Value;
        var input = new RecordingOrchestrationInput
        {
            Command = command,
            WorkFolder = workspace.WorkFolder(command.Id),
            ContinueAsNewAfterSegments = settings.ContinueAsNewAfterSegments,
            StopConfirmationTimeout = settings.StopConfirmationTimeout,
            UploadAttempts = settings.UploadAttempts,
            UploadFirstRetryInterval = settings.UploadFirstRetryInterval,
            MediaJobCheckInterval = settings.MediaJobCheckInterval,
            MediaJobTimeout = settings.MediaJobTimeout,
            MediaJobStarts = settings.MediaJobStarts,
            AllowPrivateNetworks = settings.AllowPrivateNetworks,
        };
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(RecordingOrchestrator), input, new StartOrchestrationOptions(command.Id), cancellationToken);
        return new RecordingStartResult(command.Id, Created: true);
    }

    public async Task<RecordingStatus?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(id, cancellationToken);
        return metadata is null || metadata.Name != nameof(RecordingOrchestrator) ? null : await ToStatusAsync(metadata, presign: true, cancellationToken);
    }

    public async Task<RecordingPage> ListAsync(RecordingQuery query, CancellationToken cancellationToken = default)
    {
        var page = await client.QueryInstancesAsync(InstanceQueries.For(query, nameof(RecordingOrchestrator)), cancellationToken);
        var recordings = new List<RecordingStatus>();
        foreach (var metadata in page.Instances)
        {
            recordings.Add(await ToStatusAsync(metadata, presign: false, cancellationToken));
        }

        return new RecordingPage(recordings, page.ContinuationToken);
    }

    public async Task<StopOutcome> StopAsync(string id, StopMode mode, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(id, cancellationToken);
        if (metadata is null || metadata.Name != nameof(RecordingOrchestrator))
        {
            return StopOutcome.NotFound;
        }

        if (metadata.IsCompleted)
        {
            return StopOutcome.AlreadyFinished;
        }

        if (mode == StopMode.Terminate)
        {
            // Before terminating: a capture still being started must see it (StartCapture looks before and after it launches).
            await TerminationMarker.SetAsync(workspace.WorkFolder(id), DateTimeOffset.UtcNow, cancellationToken);
            await client.TerminateInstanceAsync(id, "Terminated through the API.", cancellationToken: cancellationToken);
            await jobs.StopAsync(id, cancellationToken);
            // Its post-processing stops too: a ladder left running would encode for an hour for nobody.
            await MediaJobCancellation.RequestEveryAttemptAsync(RecordingOrchestrator.MediaJobOutputFolders(workspace.WorkFolder(id)), "the recording was terminated", cancellationToken);
        }
        else
        {
            await client.RaiseEventAsync(id, CaptureEventNames.Stop, new StopRequest(DateTimeOffset.UtcNow), cancellationToken);
        }

        return StopOutcome.Accepted;
    }

    public async Task<RecordingDeleteResult> DeleteAsync(string id, bool deleteAssets, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(id, cancellationToken);
        if (metadata is null || metadata.Name != nameof(RecordingOrchestrator))
        {
            return new RecordingDeleteResult(RecordingDeleteOutcome.NotFound, 0);
        }

        if (!metadata.IsCompleted)
        {
            return new RecordingDeleteResult(RecordingDeleteOutcome.StillRunning, 0);
        }

        var deleted = 0;
        var folder = workspace.WorkFolder(id);
        if (deleteAssets && metadata.ReadInputAs<RecordingOrchestrationInput>() is { } input)
        {
            var progress = metadata.ReadCustomStatusAs<RecordingProgress>();
            var target = new AssetTarget(id, input.Command.StreamId, progress?.StartedAt ?? metadata.CreatedAt, input.Command.Template.Destination);
            using var destination = await destinations.OpenAsync(target, cancellationToken);
            var keys = new List<string>();
            await foreach (var stored in destination.ListAsync(destinations.RecordingFolder(target) + "/", cancellationToken))
            {
                keys.Add(stored.Key);
            }

            foreach (var key in keys)
            {
                deleted += await destination.DeleteAsync(key, cancellationToken) ? 1 : 0;
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        else if (Directory.Exists(folder))
        {
            // Once purged the id is free again, and a new recording under it would take this folder's finished job for its own
            // capture (and its termination marker for a terminate). What is here (a segment whose upload failed) is kept, aside.
            var aside = workspace.SetAsideFolder(id, DateTimeOffset.UtcNow);
            Directory.CreateDirectory(Path.GetDirectoryName(aside)!);
            Directory.Move(folder, aside);
        }

        await client.PurgeInstanceAsync(id, cancellationToken);
        return new RecordingDeleteResult(RecordingDeleteOutcome.Deleted, deleted);
    }

    private async Task<RecordingStatus> ToStatusAsync(OrchestrationMetadata metadata, bool presign, CancellationToken cancellationToken)
    {
        var input = metadata.ReadInputAs<RecordingOrchestrationInput>();
        var progress = metadata.ReadCustomStatusAs<RecordingProgress>();
        var errors = progress?.Errors.ToList() ?? [];
        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && errors.Count == 0)
        {
            errors.Add(new RecordingError("orchestration-failed", metadata.FailureDetails?.ErrorMessage ?? "The recording failed.", metadata.LastUpdatedAt));
        }

        var assets = progress?.Assets ?? [];
        if (presign && input is not null && progress?.StartedAt is { } startedAt)
        {
            assets = await signer.SignAsync(new AssetTarget(metadata.InstanceId, input.Command.StreamId, startedAt, input.Command.Template.Destination), assets, cancellationToken);
        }

        return new RecordingStatus
        {
            Id = metadata.InstanceId,
            RuntimeStatus = Enum.Parse<RecordingRuntimeStatus>(metadata.RuntimeStatus.ToString()),
            Phase = progress?.Phase ?? (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Pending ? RecordingPhases.Starting : null),
            StreamId = input?.Command.StreamId,
            TemplateName = input?.Command.TemplateName,
            // A source URL may carry a stream key: only its redacted form leaves the service.
            Sources = input?.Command.Sources.Select(Redact).ToList() ?? [],
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            OrchestrationVersion = metadata.Version,
            StartedAt = progress?.StartedAt,
            EndedAt = progress?.EndedAt,
            Segments = progress?.Segments ?? [],
            TotalBytes = progress?.TotalBytes ?? 0,
            RecordedDuration = progress?.RecordedDuration ?? TimeSpan.Zero,
            Assets = assets,
            Errors = errors,
        };
    }

    private static string Redact(string source) => Uri.TryCreate(source, UriKind.Absolute, out var uri) ? SourceRedaction.Redact(uri) : "(redacted)";
}
