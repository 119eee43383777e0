namespace Recording.Durable.Backends;

/// <summary>An activity call to run: sent by an orchestration's commit, answered by a <c>TaskCompleted</c> or <c>TaskFailed</c> message.</summary>
/// <param name="InstanceId">The calling orchestration instance.</param>
/// <param name="ExecutionId">The calling execution; the answer is addressed to it.</param>
/// <param name="TaskScheduledId">The sequence id of the call in the caller's history.</param>
/// <param name="Name">The registered activity name.</param>
/// <param name="Input">JSON input.</param>
public sealed record ActivityRequest(string InstanceId, string ExecutionId, int TaskScheduledId, string Name, string? Input)
{
    /// <summary>Deterministic id of the request, the same if a crashed commit sends it again.</summary>
    public string RequestId => $"{InstanceId}|{ExecutionId}|{TaskScheduledId}";
}
