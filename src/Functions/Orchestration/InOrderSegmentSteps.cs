using Recording.Durable.Orchestrations;

namespace Recording.Functions.Orchestration;

/// <summary>
/// One activity per closed segment, run while the recording goes on: one at a time, in index order, each built from what
/// the previous ones left in the orchestrator's state (a spliced file's length, an HLS VOD's pieces). A step that fails
/// stops the chain: the work is then done the classic way after the stop, so a failure here costs time, never a recording.
/// </summary>
/// <remarks>
/// <para>Orchestrator-side: no I/O, only activity calls, so it replays like the orchestrator that owns it.</para>
/// <para>Segments are reported in order, but their events need not arrive in order: a queue may deliver out of order, and an
/// episode that a worker abandons (a lock lost, an error, a newer orchestration version it leaves for another worker)
/// comes back later than the events behind it. So while the recording goes on a step starts only for the index that
/// <paramref name="nextIndex"/> says comes next; had segment 5 been appended before segment 4, the file would say 5 was
/// the last one in and 4 would never go in. Once the capture has ended, what waits runs in index order, past an index that
/// was never reported. Null <paramref name="nextIndex"/>: in arrival order, as instances of orchestrator version 1 replay.</para>
/// </remarks>
internal sealed class InOrderSegmentSteps<TResult>(
    TaskOrchestrationContext context,
    string activityName,
    Func<int, string, object> inputFor,
    Action<TResult> onDone,
    Action<string> onAbandoned,
    Func<int>? nextIndex)
{
    private static readonly TaskOptions Retry = new(new RetryPolicy(3, TimeSpan.FromSeconds(1), 2.0) { HandleFailure = PermanentFailures.IsTransient });

    private readonly SortedDictionary<int, string> waiting = [];
    private bool draining;

    /// <summary>Why the chain stopped, or null while it still follows the recording.</summary>
    public string? Abandoned { get; private set; }

    /// <summary>The step in flight, for the orchestrator's Task.WhenAny; null when idle.</summary>
    public Task<TResult>? InFlight { get; private set; }

    /// <summary>Nothing in flight and nothing waiting: safe to continue as new (what the steps made is in the orchestrator's state).</summary>
    public bool IsIdle => InFlight is null && waiting.Count == 0;

    public void Add(int index, string localPath)
    {
        if (Abandoned is not null)
        {
            return;
        }

        waiting[index] = localPath;
        StartNext();
    }

    /// <summary>Takes the finished step's result (or its failure) and starts the next waiting segment.</summary>
    public async Task CompleteAsync()
    {
        var finished = InFlight ?? throw new InvalidOperationException("No step is in flight.");
        InFlight = null;
        try
        {
            onDone(await finished);
            StartNext();
        }
        catch (TaskFailedException ex)
        {
            Abandoned = $"{activityName} failed ({ex.FailureDetails.ErrorMessage})";
            waiting.Clear();
            onAbandoned(Abandoned);
        }
    }

    /// <summary>Runs the steps still waiting, after the capture has ended.</summary>
    public async Task DrainAsync()
    {
        draining = true;
        StartNext();
        while (InFlight is not null)
        {
            await CompleteAsync();
        }
    }

    private void StartNext()
    {
        if (InFlight is not null || waiting.Count == 0)
        {
            return;
        }

        var (index, path) = waiting.First();
        if (nextIndex is not null && index > nextIndex() && !draining)
        {
            return; // an earlier segment's event is still on its way
        }

        waiting.Remove(index);
        InFlight = context.CallActivityAsync<TResult>(activityName, inputFor(index, path), Retry);
    }
}
