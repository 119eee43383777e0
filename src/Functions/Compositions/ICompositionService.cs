using Recording.Functions.Recordings;

namespace Recording.Functions.Compositions;

/// <summary>What the HTTP functions need from the composition orchestration.</summary>
public interface ICompositionService
{
    /// <summary>
    /// Resolves each participant's recording (it must have completed with a spliced file) and schedules the composition;
    /// idempotent on the id.
    /// </summary>
    Task<CompositionStartResult> StartAsync(CompositionCommand command, CancellationToken cancellationToken = default);

    Task<CompositionStatus?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Compositions by runtime status and creation time (the same query as recordings'), without presigned URLs.</summary>
    Task<CompositionPage> ListAsync(RecordingQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks a composition that has not ended to stop where it is (waiting, or a compose job that its worker then stops); it ends
    /// in the phase "canceled", without a composite.
    /// </summary>
    Task<StopOutcome> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Purges an ended composition's history and local files, and its composite in the destination when asked.</summary>
    Task<RecordingDeleteResult> DeleteAsync(string id, bool deleteAssets, CancellationToken cancellationToken = default);
}
