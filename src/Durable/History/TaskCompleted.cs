namespace Recording.Durable.History;

/// <summary>An activity returned; <see cref="TaskScheduledId"/> is the sequence id of the call.</summary>
public sealed record TaskCompleted(int TaskScheduledId, string? Result) : HistoryEvent;
