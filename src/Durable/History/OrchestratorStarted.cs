namespace Recording.Durable.History;

/// <summary>Marks the start of an episode; its timestamp is what <c>CurrentUtcDateTime</c> returns during the episode.</summary>
public sealed record OrchestratorStarted : HistoryEvent;
