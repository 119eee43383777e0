using Recording.Durable.Instances;

namespace Recording.Durable.Backends;

/// <summary>One page of a query; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record InstanceQueryPage(IReadOnlyList<InstanceState> Instances, string? ContinuationToken);
