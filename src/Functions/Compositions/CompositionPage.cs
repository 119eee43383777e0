namespace Recording.Functions.Compositions;

/// <summary>One page of compositions; a null continuation token means the last page.</summary>
public sealed record CompositionPage(IReadOnlyList<CompositionStatus> Compositions, string? ContinuationToken);
