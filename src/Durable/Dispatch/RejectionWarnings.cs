using System.Collections.Concurrent;

namespace Recording.Durable.Dispatch;

/// <summary>
/// Which times a worker leaves an instance of a newer orchestration version deserve a warning: the first time for each
/// instance, and again every <see cref="Interval"/> while it is still being left (a rollback that stays). The work item
/// comes back every few seconds, so during a rolling upgrade a warning each time would bury the log; the rest go to Debug.
/// </summary>
internal sealed class RejectionWarnings(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>Beyond this many instances the record starts again: at worst an instance is warned of again early.</summary>
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> lastWarned = new(StringComparer.Ordinal);

    public bool ShouldWarn(string instanceId)
    {
        var now = time.GetUtcNow();
        if (lastWarned.TryGetValue(instanceId, out var last) && now - last < Interval)
        {
            return false;
        }

        if (lastWarned.Count >= MaxTracked)
        {
            lastWarned.Clear();
        }

        lastWarned[instanceId] = now;
        return true;
    }
}
