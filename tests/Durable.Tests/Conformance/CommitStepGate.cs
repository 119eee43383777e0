using Recording.Durable.Backends;

namespace Recording.Durable.Tests.Conformance;

/// <summary>Holds the first commit that reaches <paramref name="heldAt"/> until released, so that a test can stop a worker mid-commit.</summary>
/// <remarks>Past the gate it honours the commit's cancellation as the next store call would: a commit cut by a stop fails here.</remarks>
public sealed class CommitStepGate(CommitStep heldAt) : ICommitStepListener
{
    private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int passed;

    /// <summary>Completes when a commit waits at the gate.</summary>
    public Task Reached => reached.Task;

    public void Release() => released.TrySetResult();

    public async ValueTask OnCommitStepAsync(CommitStep step, string instanceId, CancellationToken cancellationToken = default)
    {
        if (step != heldAt || Interlocked.Exchange(ref passed, 1) == 1)
        {
            return;
        }

        reached.TrySetResult();
        await released.Task;
        cancellationToken.ThrowIfCancellationRequested();
    }
}
