namespace Recording.Functions.Events;

/// <summary>
/// The event types that start and stop recordings (and compose a room) when an application publishes them to an Event Grid topic whose subscription
/// delivers to <c>/api/events</c> (a room's first participant joined, the last one left). Other types are acknowledged and ignored,
/// so one subscription can carry an application's whole event stream.
/// </summary>
public static class RecordingCommandEventTypes
{
    /// <summary>Data: the body of <c>POST /api/recordings</c>. Without an id, the recording takes the event's.</summary>
    public const string Start = "Recording.Start";

    /// <summary>Data: <c>{"id": "...", "mode": "graceful" | "terminate"}</c>, as <c>POST /api/recordings/{id}/stop</c>.</summary>
    public const string Stop = "Recording.Stop";

    /// <summary>
    /// Data: the body of <c>POST /api/compositions</c>. Without an id, the composition takes the event's. Sent with the room's
    /// stops when it ends: the composition waits for the recordings to complete.
    /// </summary>
    public const string Compose = "Composition.Start";
}
