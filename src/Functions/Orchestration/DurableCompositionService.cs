using Microsoft.Extensions.Options;
using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Instances;
using Recording.Functions.Compositions;
using Recording.Functions.Jobs;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Functions.Validation;

namespace Recording.Functions.Orchestration;

/// <summary>
/// <see cref="ICompositionService"/> on the durable engine: one <see cref="CompositionOrchestrator"/> instance per composition.
/// A start refuses what can never be composed (an unknown or failed recording, one without a spliced file) and schedules the
/// rest; the orchestration waits for recordings that are still going, so a room can be composed the moment it ends.
/// </summary>
public sealed class DurableCompositionService(
    DurableTaskClient client,
    RecordingWorkspace workspace,
    CompositionTrackResolver resolver,
    RecordingDestinations destinations,
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

        var tracks = await resolver.ResolveAsync(command, cancellationToken);
        if (tracks.Refused.Count > 0)
        {
            var errors = new ValidationErrors();
            foreach (var refusal in tracks.Refused)
            {
                errors.Add(refusal.Field, refusal.Rule);
            }

            return new CompositionStartResult(command.Id, Created: false, errors);
        }

        var settings = options.Value;
        var input = new CompositionOrchestrationInput
        {
            Command = command,
            WorkFolder = workspace.CompositionFolder(command.Id),
            MediaJobs = new MediaJobLimits(settings.MediaJobCheckInterval, settings.MediaJobTimeout, settings.MediaJobStarts),
            WaitTimeout = settings.CompositionWaitTimeout,
            FirstCheckPause = settings.CompositionFirstCheckPause,
            WaitChecksPerExecution = settings.CompositionWaitChecksPerExecution,
            UploadAttempts = settings.UploadAttempts,
        };
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(CompositionOrchestrator), input, new StartOrchestrationOptions(instanceId), cancellationToken);
        return new CompositionStartResult(command.Id, Created: true);
    }

    public async Task<StopOutcome> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        var instanceId = CompositionOrchestrator.InstanceId(id);
        var metadata = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (metadata is null || metadata.Name != nameof(CompositionOrchestrator))
        {
            return StopOutcome.NotFound;
        }

        if (metadata.IsCompleted)
        {
            return StopOutcome.AlreadyFinished;
        }

        await client.RaiseEventAsync(instanceId, CompositionOrchestrator.CancelEvent, "canceled through the API", cancellationToken);
        return StopOutcome.Accepted;
    }

    public async Task<RecordingDeleteResult> DeleteAsync(string id, bool deleteAssets, CancellationToken cancellationToken = default)
    {
        var instanceId = CompositionOrchestrator.InstanceId(id);
        var metadata = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (metadata is null || metadata.Name != nameof(CompositionOrchestrator) || metadata.ReadInputAs<CompositionOrchestrationInput>() is not { } input)
        {
            return new RecordingDeleteResult(RecordingDeleteOutcome.NotFound, 0);
        }

        if (!metadata.IsCompleted)
        {
            return new RecordingDeleteResult(RecordingDeleteOutcome.StillRunning, 0);
        }

        var deleted = 0;
        var assets = metadata.ReadCustomStatusAs<CompositionProgress>()?.Assets ?? [];
        if (deleteAssets && assets.Count > 0)
        {
            if (await resolver.CompositeTargetAsync(id, input.Command, cancellationToken) is not { } target)
            {
                return new RecordingDeleteResult(RecordingDeleteOutcome.AssetsUnreachable, 0);
            }

            using var destination = await destinations.OpenAsync(target, cancellationToken);
            foreach (var asset in assets)
            {
                deleted += await destination.DeleteAsync(asset.Key, cancellationToken) ? 1 : 0;
            }
        }

        if (Directory.Exists(input.WorkFolder))
        {
            Directory.Delete(input.WorkFolder, recursive: true);
        }

        await client.PurgeInstanceAsync(instanceId, cancellationToken);
        return new RecordingDeleteResult(RecordingDeleteOutcome.Deleted, deleted);
    }

    public async Task<CompositionStatus?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(CompositionOrchestrator.InstanceId(id), cancellationToken);
        return metadata is null || metadata.Name != nameof(CompositionOrchestrator) ? null : await ToStatusAsync(metadata, presign: true, cancellationToken);
    }

    public async Task<CompositionPage> ListAsync(RecordingQuery query, CancellationToken cancellationToken = default)
    {
        var page = await client.QueryInstancesAsync(InstanceQueries.For(query, nameof(CompositionOrchestrator)), cancellationToken);
        var compositions = new List<CompositionStatus>();
        foreach (var metadata in page.Instances)
        {
            if (await ToStatusAsync(metadata, presign: false, cancellationToken) is { } status)
            {
                compositions.Add(status);
            }
        }

        return new CompositionPage(compositions, page.ContinuationToken);
    }

    private async Task<CompositionStatus?> ToStatusAsync(OrchestrationMetadata metadata, bool presign, CancellationToken cancellationToken)
    {
        if (metadata.ReadInputAs<CompositionOrchestrationInput>() is not { } input)
        {
            return null;
        }

        var id = input.Command.Id;
        var progress = metadata.ReadCustomStatusAs<CompositionProgress>();
        var errors = progress?.Errors.ToList() ?? [];
        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && errors.Count == 0)
        {
            errors.Add(new RecordingError("orchestration-failed", metadata.FailureDetails?.ErrorMessage ?? "The composition failed.", metadata.LastUpdatedAt));
        }

        IReadOnlyList<RecordingAsset> assets = progress?.Assets ?? [];
        if (presign && assets.Count > 0 && await resolver.CompositeTargetAsync(id, input.Command, cancellationToken) is { } target)
        {
            assets = await signer.SignAsync(target, assets, cancellationToken);
        }

        return new CompositionStatus
        {
            Id = id,
            RuntimeStatus = Enum.Parse<RecordingRuntimeStatus>(metadata.RuntimeStatus.ToString()),
            Phase = progress?.Phase ?? CompositionProgress.Waiting,
            WaitingFor = progress?.WaitingFor ?? [],
            Layout = input.Command.Layout.ToString().ToLowerInvariant(),
            Size = input.Command.Size,
            Roles = input.Command.Roles,
            Tracks = progress?.Tracks ?? [],
            Duration = TimeSpan.FromSeconds(progress?.Duration ?? 0),
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            OrchestrationVersion = metadata.Version,
            Assets = assets,
            Errors = errors,
        };
    }
}
