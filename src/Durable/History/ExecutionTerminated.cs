namespace Recording.Durable.History;

/// <summary>A client terminated the instance; <see cref="Reason"/> becomes its output.</summary>
public sealed record ExecutionTerminated(string? Reason, bool Recurse = true) : HistoryEvent;
