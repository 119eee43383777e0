namespace Recording.Functions.Jobs;

/// <summary>
/// Starts and stops the media worker's capture job for a recording: a child process locally, an Azure Container Apps job
/// (started by a queue message) in Azure. The job's events reach the orchestration through an <see cref="ICaptureEventSink"/>.
/// </summary>
/// <remarks>Called from activities, which run at least once: both methods must be idempotent on the recording id.</remarks>
public interface ICaptureJobRunner
{
    /// <summary>Starts the capture job, or re-attaches to the one already running for this recording.</summary>
    Task<CaptureJobHandle> StartAsync(CaptureJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Asks the job to stop gracefully (ffmpeg gets <c>q</c>); the job's <c>exited</c> event reports the end.</summary>
    Task StopAsync(string recordingId, CancellationToken cancellationToken = default);
}
