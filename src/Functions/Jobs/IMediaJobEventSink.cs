using Recording.Media.Jobs;

namespace Recording.Functions.Jobs;

/// <summary>Where a runner hands a media job's result when it sees the job end; the service's sink raises it on the recording's orchestration.</summary>
/// <remarks>Delivery may be lost (the orchestrator's checks read the result file too) or repeated (the orchestrator takes the first).</remarks>
public interface IMediaJobEventSink
{
    Task PublishAsync(string recordingId, MediaJobOperation operation, MediaJobResult result, CancellationToken cancellationToken = default);
}
