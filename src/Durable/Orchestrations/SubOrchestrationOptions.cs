namespace Recording.Durable.Orchestrations;

/// <summary>Options of a sub-orchestration call; <see cref="InstanceId"/> chooses the child's id (default: parent id, a colon and the call's sequence id),
/// <see cref="Version"/> the child's orchestration version (default: the worker's default version, as for any new instance).</summary>
public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null, string? Version = null) : TaskOptions(Retry);
