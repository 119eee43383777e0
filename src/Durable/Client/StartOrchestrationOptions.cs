namespace Recording.Durable.Client;

/// <summary>Options for scheduling an orchestration: its instance id (default: a new GUID), a delayed start, and its orchestration version (default: the client's default version).</summary>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null, string? Version = null);
