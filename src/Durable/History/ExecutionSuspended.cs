namespace Recording.Durable.History;

/// <summary>A client suspended the instance: later events are kept but not delivered until it resumes.</summary>
public sealed record ExecutionSuspended(string? Reason) : HistoryEvent;
