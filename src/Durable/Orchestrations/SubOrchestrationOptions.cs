namespace Recording.Durable.Orchestrations;

/// <summary>Options of a sub-orchestration call; <see cref="InstanceId"/> chooses the child's id (default: parent id, a colon and the call's sequence id).</summary>
public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null) : TaskOptions(Retry);
