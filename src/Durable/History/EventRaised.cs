namespace Recording.Durable.History;

/// <summary>An external event arrived; <see cref="Input"/> is its JSON payload.</summary>
public sealed record EventRaised(string Name, string? Input) : HistoryEvent;
