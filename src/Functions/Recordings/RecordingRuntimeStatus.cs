namespace Recording.Functions.Recordings;

/// <summary>The orchestration's runtime status, with the values Durable Functions uses.</summary>
public enum RecordingRuntimeStatus
{
    Pending,
    Running,
    Completed,
    ContinuedAsNew,
    Failed,
    Terminated,
    Suspended,
}
