namespace Recording.Durable.Instances;

/// <summary>The runtime status of an orchestration instance, with the values Durable Functions uses.</summary>
public enum OrchestrationRuntimeStatus
{
    Pending = 0,
    Running = 1,
    Completed = 2,
    ContinuedAsNew = 3,
    Failed = 4,
    Terminated = 5,
    Suspended = 6,
}
