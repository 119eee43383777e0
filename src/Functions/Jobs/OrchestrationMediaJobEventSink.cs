using Recording.Durable.Client;
using Recording.Media.Jobs;

namespace Recording.Functions.Jobs;

/// <summary>Raises a media job's result as the external event <see cref="MediaJobEvents.Name"/> on the recording's orchestration (instance id = recording id).</summary>
public sealed class OrchestrationMediaJobEventSink(DurableTaskClient client) : IMediaJobEventSink
{
    public Task PublishAsync(string recordingId, MediaJobOperation operation, MediaJobResult result, CancellationToken cancellationToken = default) =>
        client.RaiseEventAsync(recordingId, MediaJobEvents.Name(operation), result, cancellationToken);
}
