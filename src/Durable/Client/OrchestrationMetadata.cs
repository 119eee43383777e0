using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Client;

/// <summary>The status of an orchestration instance as a client sees it, with typed readers for its JSON input, output and custom status.</summary>
public sealed record OrchestrationMetadata(InstanceState State)
{
    public string InstanceId => State.InstanceId;

    public string Name => State.Name;

    public OrchestrationRuntimeStatus RuntimeStatus => State.RuntimeStatus;

    public DateTimeOffset CreatedAt => State.CreatedAt;

    public DateTimeOffset LastUpdatedAt => State.LastUpdatedAt;

    public DateTimeOffset? CompletedAt => State.CompletedAt;

    public string? SerializedInput => State.Input;

    public string? SerializedOutput => State.Output;

    public string? SerializedCustomStatus => State.CustomStatus;

    public TaskFailureDetails? FailureDetails => State.FailureDetails;

    /// <summary>The orchestration version the instance was created with; null for none.</summary>
    public string? Version => State.Version;

    public bool IsRunning => State.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended or OrchestrationRuntimeStatus.ContinuedAsNew;

    public bool IsCompleted => State.RuntimeStatus.IsTerminal();

    public T? ReadInputAs<T>() => DurableJson.Deserialize<T>(State.Input);

    public T? ReadOutputAs<T>() => DurableJson.Deserialize<T>(State.Output);

    public T? ReadCustomStatusAs<T>() => DurableJson.Deserialize<T>(State.CustomStatus);
}
