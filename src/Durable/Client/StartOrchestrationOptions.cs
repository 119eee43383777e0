namespace Recording.Durable.Client;

/// <summary>Options for scheduling an orchestration: its instance id (default: a new GUID) and a delayed start.</summary>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
