using Recording.Durable.Instances;

namespace Recording.Durable.History;

/// <summary>An activity threw; <see cref="TaskScheduledId"/> is the sequence id of the call.</summary>
public sealed record TaskFailed(int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent;
