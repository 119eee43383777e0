namespace Recording.Durable.Orchestrations;

/// <summary>Options of an activity or sub-orchestration call.</summary>
public record TaskOptions(RetryPolicy? Retry = null);
