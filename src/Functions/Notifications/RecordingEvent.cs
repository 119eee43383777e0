namespace Recording.Functions.Notifications;

/// <summary>One notification: its CloudEvents type, when it happened and its data. Its id is stable per recording (or composition) and sequence.</summary>
public sealed record RecordingEvent(string Type, DateTimeOffset Time, RecordingEventData Data)
{
    /// <summary>The CloudEvents id and the <c>webhook-id</c>: the same on every retry, so receivers can drop duplicates.</summary>
    public string Id => Data.CompositionId is { } composition ? $"composition-{composition}-{Data.Sequence}" : $"{Data.RecordingId}-{Data.Sequence}";

    /// <summary>The CloudEvents subject: the resource the event is about.</summary>
    public string Subject => Data.CompositionId is { } composition ? $"compositions/{composition}" : $"recordings/{Data.RecordingId}";

    /// <summary>What the delivery log files the event under: the recording id, or <c>composition:{id}</c> (no recording id has a ':').</summary>
    public string LogKey => Data.CompositionId is { } composition ? CompositionLogKey(composition) : Data.RecordingId ?? "";

    public static string CompositionLogKey(string compositionId) => "composition:" + compositionId;
}
