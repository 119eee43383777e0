namespace Recording.Functions.Notifications;

/// <summary>The CloudEvents <c>type</c> values of a recording's life (DESIGN.md "Events"), and of a composition's end.</summary>
public static class RecordingEventTypes
{
    public const string Started = "recording.started";
    public const string SegmentReady = "recording.segment.ready";
    public const string Interrupted = "recording.interrupted";
    public const string Resumed = "recording.resumed";
    public const string AssetReady = "recording.asset.ready";
    public const string Completed = "recording.completed";
    public const string Failed = "recording.failed";

    /// <summary>A composition's composite is uploaded (its key, size and duration in the data).</summary>
    public const string CompositionCompleted = "composition.completed";

    public const string CompositionFailed = "composition.failed";

    public static IReadOnlyList<string> All { get; } = [Started, SegmentReady, Interrupted, Resumed, AssetReady, Completed, Failed, CompositionCompleted, CompositionFailed];
}
