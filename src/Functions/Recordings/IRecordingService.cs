namespace Recording.Functions.Recordings;

/// <summary>
/// What the HTTP functions need from the recording orchestration. The production implementation schedules and queries
/// <c>RecordingOrchestrator</c> instances on the durable engine (instance id = recording id); the HTTP layer knows nothing else of it.
/// </summary>
public interface IRecordingService
{
    /// <summary>Schedules the recording; idempotent on the id (a second start with the same id creates nothing).</summary>
    Task<RecordingStartResult> StartAsync(RecordingStartCommand command, CancellationToken cancellationToken = default);

    Task<RecordingStatus?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<RecordingPage> ListAsync(RecordingQuery query, CancellationToken cancellationToken = default);

    /// <summary>Raises the stop event (graceful) or terminates the instance.</summary>
    Task<StopOutcome> StopAsync(string id, StopMode mode, CancellationToken cancellationToken = default);

    /// <summary>Purges a finished recording's history, and its assets in the destination when asked.</summary>
    Task<RecordingDeleteResult> DeleteAsync(string id, bool deleteAssets, CancellationToken cancellationToken = default);
}
