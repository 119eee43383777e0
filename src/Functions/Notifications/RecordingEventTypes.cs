namespace Recording.Functions.Notifications;

/// <summary>The CloudEvents <c>type</c> values of a recording's life (DESIGN.md "Events").</summary>
public static class RecordingEventTypes
{
    public const string Started = "recording.started";
    public const string SegmentReady = "recording.segment.ready";
    public const string Interrupted = "recording.interrupted";
    public const string Resumed = "recording.resumed";
    public const string AssetReady = "recording.asset.ready";
    public const string Completed = "recording.completed";
    public const string Failed = "recording.failed";

    public static IReadOnlyList<string> All { get; } = [Started, SegmentReady, Interrupted, Resumed, AssetReady, Completed, Failed];
}
