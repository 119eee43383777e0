using Recording.Durable.Backends;

namespace Recording.Durable.Tests.Faults;

/// <summary>Where a fault may be injected: after a commit step inside the backend, or right after a backend call returned.</summary>
/// <param name="Step">The commit step just performed, or null for <see cref="AfterCall"/> points.</param>
/// <param name="AfterCall">Name of the backend method that just returned (e.g. "LockNextOrchestrationWorkItemAsync"), or null for commit steps.</param>
/// <param name="InstanceId">The instance concerned, when known.</param>
public sealed record FaultPoint(CommitStep? Step, string? AfterCall, string? InstanceId);
