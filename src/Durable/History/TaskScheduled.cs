namespace Recording.Durable.History;

/// <summary>The orchestrator called an activity; <see cref="TaskId"/> is the call's sequence id.</summary>
public sealed record TaskScheduled(int TaskId, string Name, string? Input) : HistoryEvent;
