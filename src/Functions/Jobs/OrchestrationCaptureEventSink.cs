using System.Text.Json;
using Recording.Durable.Client;
using Recording.Durable.History;
using Recording.Media.Capture;

namespace Recording.Functions.Jobs;

/// <summary>Raises each capture event as the external event <see cref="CaptureEventNames.Capture"/> on the recording's orchestration (instance id = recording id).</summary>
public sealed class OrchestrationCaptureEventSink(DurableTaskClient client) : ICaptureEventSink
{
    public Task PublishAsync(CaptureEvent captureEvent, CancellationToken cancellationToken = default)
    {
        // Serialized as the base type so that the "type" discriminator travels and the orchestrator reads back the right kind.
        var payload = JsonSerializer.SerializeToElement(captureEvent, DurableJson.Options);
        return client.RaiseEventAsync(captureEvent.RecordingId, CaptureEventNames.Capture, payload, cancellationToken);
    }
}
