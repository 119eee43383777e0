using Recording.Durable.Backends;

namespace Recording.Durable.Execution;

/// <summary>The result of one episode: the commit to make, or (when <see cref="Commit"/> is null) a request to look again after <see cref="RetryAfter"/>.</summary>
public sealed record OrchestrationExecutionResult(OrchestrationCommit? Commit, TimeSpan? RetryAfter);
