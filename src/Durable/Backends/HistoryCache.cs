using System.Collections.Concurrent;

namespace Recording.Durable.Backends;

/// <summary>
/// The history this process last read for each instance, so that the next episode reads and deserializes only the events
/// added since. An orchestration's history grows by a few events per episode; reading all of it each time made the activity
/// round trip grow with the history (on SQLite 3 ms at 50 activities, 10 ms at 400).
/// </summary>
/// <typeparam name="TEvent">What a backend keeps per event (the event, and for Azure Storage the token of the episode that wrote it).</typeparam>
/// <remarks>
/// Safe because the committed part of a history only grows within one execution, whichever process appends to it:
/// ContinueAsNew replaces it under a new execution id, and a purged instance that is created again starts a new execution
/// too. An entry is therefore used only for the execution it was read for, and a cache that grows past its capacity is
/// simply emptied.
/// </remarks>
internal sealed class HistoryCache<TEvent>(int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The events already read for this execution (a copy the caller may keep), or an empty list.</summary>
    public List<TEvent> Known(string instanceId, string? executionId) =>
        executionId is not null && entries.TryGetValue(instanceId, out var entry) && entry.ExecutionId == executionId
            ? [.. entry.Events]
            : [];

    public void Remember(string instanceId, string? executionId, IReadOnlyList<TEvent> events)
    {
        if (executionId is null)
        {
            return;
        }

        if (entries.Count >= capacity)
        {
            entries.Clear();
        }

        entries[instanceId] = new Entry(executionId, [.. events]); // a copy: the caller hands its list on to the executor
    }

    private sealed record Entry(string ExecutionId, IReadOnlyList<TEvent> Events);
}
