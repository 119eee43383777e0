namespace Recording.Functions.Events;

/// <summary>
/// The event types that start and stop recordings when an application publishes them to an Event Grid topic whose subscription
/// delivers to <c>/api/events</c> (a room's first participant joined, the last one left). Other types are acknowledged and ignored,
/// so one subscription can carry an application's whole event stream.
/// </summary>
public static class RecordingCommandEventTypes
{
    /// <summary>Data: the body of <c>POST /api/recordings</c>. Without an id, the recording takes the event's.</summary>
    public const string Start = "Recording.Start";

    /// <summary>Data: <c>{"id": "...", "mode": "graceful" | "terminate"}</c>, as <c>POST /api/recordings/{id}/stop</c>.</summary>
    public const string Stop = "Recording.Stop";
}
