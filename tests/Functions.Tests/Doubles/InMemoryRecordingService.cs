using System.Collections.Concurrent;
using System.Globalization;
using Recording.Functions.Recordings;

namespace Recording.Functions.Tests.Doubles;

/// <summary>
/// Test double for the HTTP layer only: stands in for the durable orchestration behind <see cref="IRecordingService"/>
/// so the functions' status codes, links and paging can be checked. It records nothing.
/// </summary>
public sealed class InMemoryRecordingService(TimeProvider clock) : IRecordingService
{
    private readonly ConcurrentDictionary<string, RecordingStatus> recordings = new(StringComparer.Ordinal);

    public ConcurrentQueue<RecordingStartCommand> Started { get; } = new();

    public ConcurrentQueue<(string Id, StopMode Mode)> Stops { get; } = new();

    public int Count => recordings.Count;

    public Task<RecordingStartResult> StartAsync(RecordingStartCommand command, CancellationToken cancellationToken = default)
    {
        var created = recordings.TryAdd(command.Id, new RecordingStatus
        {
            Id = command.Id,
            RuntimeStatus = RecordingRuntimeStatus.Running,
            Phase = "recording",
            StreamId = command.StreamId,
            TemplateName = command.TemplateName,
            Sources = command.Sources,
            CreatedAt = command.RequestedAt,
            LastUpdatedAt = command.RequestedAt,
        });
        if (created)
        {
            Started.Enqueue(command);
        }

        return Task.FromResult(new RecordingStartResult(command.Id, created));
    }

    public Task<RecordingStatus?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(recordings.TryGetValue(id, out var status) ? status : null);

    public Task<RecordingPage> ListAsync(RecordingQuery query, CancellationToken cancellationToken = default)
    {
        // As the engine's backends do: a token this service did not hand out is the caller's error.
        var skip = 0;
        if (query.ContinuationToken is not null && !int.TryParse(query.ContinuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            throw new Recording.Durable.Backends.InvalidContinuationTokenException();
        }

        var matching = recordings.Values
            .Where(r => query.Statuses.Count == 0 || query.Statuses.Contains(r.RuntimeStatus))
            .Where(r => query.CreatedFrom is null || r.CreatedAt >= query.CreatedFrom)
            .Where(r => query.CreatedTo is null || r.CreatedAt <= query.CreatedTo)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var page = matching.Skip(skip).Take(query.PageSize).ToList();
        var next = skip + page.Count < matching.Count ? (skip + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new RecordingPage(page, next));
    }

    public Task<StopOutcome> StopAsync(string id, StopMode mode, CancellationToken cancellationToken = default)
    {
        if (!recordings.TryGetValue(id, out var status))
        {
            return Task.FromResult(StopOutcome.NotFound);
        }

        if (IsFinished(status.RuntimeStatus))
        {
            return Task.FromResult(StopOutcome.AlreadyFinished);
        }

        Stops.Enqueue((id, mode));
        return Task.FromResult(StopOutcome.Accepted);
    }

    public Task<RecordingDeleteResult> DeleteAsync(string id, bool deleteAssets, CancellationToken cancellationToken = default)
    {
        if (!recordings.TryGetValue(id, out var status))
        {
            return Task.FromResult(new RecordingDeleteResult(RecordingDeleteOutcome.NotFound, 0));
        }

        if (!IsFinished(status.RuntimeStatus))
        {
            return Task.FromResult(new RecordingDeleteResult(RecordingDeleteOutcome.StillRunning, 0));
        }

        recordings.TryRemove(id, out _);
        return Task.FromResult(new RecordingDeleteResult(RecordingDeleteOutcome.Deleted, deleteAssets ? status.Assets.Count : 0));
    }

    /// <summary>Moves a recording to Completed, as the orchestration would after post-processing.</summary>
    public void Complete(string id, params RecordingAsset[] assets) =>
        recordings[id] = recordings[id] with { RuntimeStatus = RecordingRuntimeStatus.Completed, Phase = "done", Assets = assets, LastUpdatedAt = clock.GetUtcNow() };

    private static bool IsFinished(RecordingRuntimeStatus status) =>
        status is RecordingRuntimeStatus.Completed or RecordingRuntimeStatus.Failed or RecordingRuntimeStatus.Terminated;
}
