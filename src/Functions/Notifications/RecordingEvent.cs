namespace Recording.Functions.Notifications;

/// <summary>One notification: its CloudEvents type, when it happened and its data. Its id is stable per recording and sequence.</summary>
public sealed record RecordingEvent(string Type, DateTimeOffset Time, RecordingEventData Data)
{
    /// <summary>The CloudEvents id and the <c>webhook-id</c>: the same on every retry, so receivers can drop duplicates.</summary>
    public string Id => $"{Data.RecordingId}-{Data.Sequence}";
}
