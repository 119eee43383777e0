namespace Recording.Functions.Recordings;

/// <summary>A page request for <c>GET /api/recordings</c>: filter by runtime status and creation time.</summary>
public sealed record RecordingQuery(
    IReadOnlyList<RecordingRuntimeStatus> Statuses,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedTo,
    int PageSize,
    string? ContinuationToken);
