using Recording.Durable.Backends;

namespace Recording.Durable.Execution;

/// <summary>The result of one episode: the commit to make, or (when <see cref="Commit"/> is null) a request to look again after <see cref="RetryAfter"/>.</summary>
public sealed record OrchestrationExecutionResult(OrchestrationCommit? Commit, TimeSpan? RetryAfter)
{
    /// <summary>Set when the instance was left alone because this worker's versioning does not accept its version: why.</summary>
    public string? Rejection { get; init; }
}
