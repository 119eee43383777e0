namespace Recording.Durable.History;

/// <summary>The execution ended by continuing as new with <see cref="Input"/>; the last event of that execution's history.</summary>
public sealed record ContinuedAsNew(string? Input, string NewExecutionId) : HistoryEvent;
