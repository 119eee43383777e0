namespace Recording.Durable.Backends;

/// <summary>Told by a backend after each step of a commit; the fault suite's listener throws here to simulate a crash between two steps.</summary>
/// <remarks>A backend calls it after every <see cref="CommitStep"/> it performs, inside its transaction where it has one
/// (so that SQLite proves its transaction rolls back, and Azure Storage proves its ordering is safe).</remarks>
public interface ICommitStepListener
{
    /// <summary>Called after <paramref name="step"/> for the work item of <paramref name="instanceId"/>.</summary>
    ValueTask OnCommitStepAsync(CommitStep step, string instanceId, CancellationToken cancellationToken = default);
}
