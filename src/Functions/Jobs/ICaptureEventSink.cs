using Recording.Media.Capture;

namespace Recording.Functions.Jobs;

/// <summary>
/// Where a job runner hands the worker's events (segment ready, source lost, source resumed, exited). The service's sink raises each
/// as the external event <see cref="CaptureEventNames.Capture"/> on the recording's orchestration.
/// </summary>
/// <remarks>Delivery is at least once (a runner that re-attaches after a restart may deliver an event again): the orchestrator
/// ignores a segment index it has already seen.</remarks>
public interface ICaptureEventSink
{
    Task PublishAsync(CaptureEvent captureEvent, CancellationToken cancellationToken = default);
}
