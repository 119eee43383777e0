namespace Recording.Functions.Orchestration;

/// <summary>The payload of the <c>stop</c> external event.</summary>
public sealed record StopRequest(DateTimeOffset RequestedAt);
