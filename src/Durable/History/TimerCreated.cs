namespace Recording.Durable.History;

/// <summary>The orchestrator created a durable timer; <see cref="TimerId"/> is the call's sequence id.</summary>
public sealed record TimerCreated(int TimerId, DateTimeOffset FireAt) : HistoryEvent;
