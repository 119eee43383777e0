namespace Recording.Durable.Client;

/// <summary>One page of instances; pass <see cref="ContinuationToken"/> back for the next page (null on the last).</summary>
public sealed record OrchestrationQueryPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);
