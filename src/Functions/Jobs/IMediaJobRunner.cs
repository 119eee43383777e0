namespace Recording.Functions.Jobs;

/// <summary>
/// Runs the post-processing transcodes (<see cref="Media.Jobs.MediaJobOperation"/>) as media worker jobs: a child process locally,
/// an Azure Container Apps job (started by a queue message) in Azure. The worker writes the job's result beside its outputs;
/// a runner that sees the end raises it as the external event <see cref="MediaJobEvents.Name"/> on the recording's orchestration.
/// </summary>
/// <remarks>Called from an activity, at least once, and again on the orchestrator's checks: idempotent on the job.</remarks>
public interface IMediaJobRunner
{
    /// <summary>
    /// The job's result if it has one; else makes sure it runs: starts it when nothing runs it (first call, or its worker died
    /// without a result), and leaves it alone while it runs.
    /// </summary>
    Task<MediaJobStatus> EnsureAsync(MediaJobOrder order, CancellationToken cancellationToken = default);
}
