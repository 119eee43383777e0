namespace Recording.Durable.Dispatch;

/// <summary>In-process wake-up for the dispatcher: the client and the dispatcher's own commits pulse it, so that local latency is not polling latency.</summary>
/// <remarks>One instance is shared by the client and the worker of a process (register it as a singleton). Work from other processes is still found by polling.
/// A poller reads <see cref="OrchestrationVersion"/> before it looks for work and passes it to the wait, so that a pulse between the two is not missed.</remarks>
public sealed class WorkSignal
{
    private readonly Channel orchestrations = new();
    private readonly Channel activities = new();

    public long OrchestrationVersion => orchestrations.Version;

    public long ActivityVersion => activities.Version;

    /// <summary>New orchestration messages are visible now.</summary>
    public void NotifyOrchestrationWork() => orchestrations.Notify();

    /// <summary>An orchestration message (a timer) becomes visible at <paramref name="visibleAt"/>.</summary>
    public void NotifyOrchestrationWorkAt(DateTimeOffset visibleAt) => orchestrations.NotifyAt(visibleAt);

    /// <summary>New activity requests are visible now.</summary>
    public void NotifyActivityWork() => activities.Notify();

    /// <summary>Waits until orchestration work is signalled after <paramref name="seenVersion"/>, a signalled time comes, or <paramref name="maxWait"/> passes.</summary>
    public Task WaitForOrchestrationWorkAsync(long seenVersion, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken = default) =>
        orchestrations.WaitAsync(seenVersion, maxWait, time, cancellationToken);

    public Task WaitForActivityWorkAsync(long seenVersion, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken = default) =>
        activities.WaitAsync(seenVersion, maxWait, time, cancellationToken);

    private sealed class Channel
    {
        private readonly Lock gate = new();
        private readonly SortedSet<DateTimeOffset> dueTimes = [];
        private TaskCompletionSource pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long version;

        public long Version => Interlocked.Read(ref version);

        public void Notify()
        {
            TaskCompletionSource fired;
            lock (gate)
            {
                fired = pulse;
                pulse = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.Increment(ref version);
            }

            fired.TrySetResult();
        }

        public void NotifyAt(DateTimeOffset at)
        {
            lock (gate)
            {
                dueTimes.Add(at);
            }

            // Waiters recompute their deadline with the new due time.
            Notify();
        }

        public async Task WaitAsync(long seenVersion, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
        {
            Task pulsed;
            var wait = maxWait;
            lock (gate)
            {
                if (Version != seenVersion)
                {
                    return;
                }

                var now = time.GetUtcNow();
                if (dueTimes.Count > 0 && dueTimes.Min <= now)
                {
                    dueTimes.Remove(dueTimes.Min);
                    return; // A timer came due: look for work at once.
                }

                if (dueTimes.Count > 0 && dueTimes.Min - now < wait)
                {
                    // A little after the due time, so that the message is surely visible.
                    wait = dueTimes.Min - now + TimeSpan.FromMilliseconds(2);
                }

                pulsed = pulse.Task;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait, time, timeout.Token);
            await Task.WhenAny(pulsed, delay);
            await timeout.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
