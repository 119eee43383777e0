namespace Recording.Durable.History;

/// <summary>A durable timer fired (sent as a message that becomes visible at <see cref="FireAt"/>).</summary>
public sealed record TimerFired(int TimerId, DateTimeOffset FireAt) : HistoryEvent;
