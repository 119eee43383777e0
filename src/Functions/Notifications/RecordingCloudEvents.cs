using System.Text.Json;
using Azure.Messaging;
using Recording.Functions.Serialization;

namespace Recording.Functions.Notifications;

/// <summary>Turns a <see cref="RecordingEvent"/> into a CloudEvents 1.0 event, and into the structured JSON body webhooks receive.</summary>
public static class RecordingCloudEvents
{
    public const string StructuredContentType = "application/cloudevents+json";

    public static CloudEvent Create(RecordingEvent recordingEvent, string source) =>
        new(source, recordingEvent.Type, BinaryData.FromObjectAsJson(recordingEvent.Data, ApiJson.Options), "application/json", CloudEventDataFormat.Json)
        {
            Id = recordingEvent.Id,
            Time = recordingEvent.Time,
            Subject = recordingEvent.Subject,
        };

    /// <summary>The structured-mode JSON of the event (CloudEvents JSON format), exactly the bytes that are signed and sent.</summary>
    public static byte[] Serialize(CloudEvent cloudEvent) => JsonSerializer.SerializeToUtf8Bytes(cloudEvent);
}
