namespace Recording.Durable.Instances;

/// <summary>The orchestration that started a sub-orchestration, and the sequence id of the call that did it.</summary>
public sealed record ParentInstance(string InstanceId, string ExecutionId, int TaskScheduledId);
