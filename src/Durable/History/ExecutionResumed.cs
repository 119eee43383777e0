namespace Recording.Durable.History;

/// <summary>A client resumed a suspended instance.</summary>
public sealed record ExecutionResumed(string? Reason) : HistoryEvent;
