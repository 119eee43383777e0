using Recording.Durable.Instances;

namespace Recording.Durable.Backends;

/// <summary>A filter over instances, with paging. Every criterion that is null matches everything.</summary>
public sealed record InstanceQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Created at or after.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Created strictly before.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Orchestration name starts with (ordinal).</summary>
    public string? NamePrefix { get; init; }

    /// <summary>Instance id starts with (ordinal).</summary>
    public string? InstanceIdPrefix { get; init; }

    public int PageSize { get; init; } = 100;

    /// <summary>From the previous page; null for the first page.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>False leaves <see cref="InstanceState.Input"/>, Output and CustomStatus null to save bandwidth.</summary>
    public bool FetchInputsAndOutputs { get; init; } = true;
}
