using Recording.Durable.Versioning;

namespace Recording.Durable.Dispatch;

/// <summary>How the dispatcher pulls work: concurrency per kind, lock (lease) durations, and polling backoff.</summary>
public sealed class DurableWorkerOptions
{
    /// <summary>Orchestration episodes run at the same time in this process.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 4;

    /// <summary>Activities run at the same time in this process.</summary>
    public int MaxConcurrentActivities { get; set; } = 16;

    /// <summary>How long an orchestration lock lasts; an episode must commit within it (a crashed worker's instance is free again after it).</summary>
    public TimeSpan OrchestrationLockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an activity lease lasts before it must be renewed (a crashed worker's activity runs again after it).</summary>
    public TimeSpan ActivityLockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running activity renews its lease; default a third of <see cref="ActivityLockDuration"/>.</summary>
    public TimeSpan? ActivityLockRenewInterval { get; set; }

    /// <summary>First wait after an empty poll; it doubles up to <see cref="MaxPollingInterval"/> while there is nothing to do.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After an unexpected error, how long the failed work item waits before it is tried again.</summary>
    public TimeSpan ErrorRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The version of this process's orchestrator code, and which instances its worker runs by version.</summary>
    public OrchestrationVersioning Versioning { get; set; } = new();

    internal TimeSpan RenewInterval => ActivityLockRenewInterval ?? ActivityLockDuration / 3;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting and the rule.</summary>
    public void Validate()
    {
        Require(MaxConcurrentOrchestrations >= 1, nameof(MaxConcurrentOrchestrations), "must be at least 1");
        Require(MaxConcurrentActivities >= 1, nameof(MaxConcurrentActivities), "must be at least 1");
        Require(OrchestrationLockDuration > TimeSpan.Zero, nameof(OrchestrationLockDuration), "must be positive");
        Require(ActivityLockDuration > TimeSpan.Zero, nameof(ActivityLockDuration), "must be positive");
        Require(RenewInterval > TimeSpan.Zero && RenewInterval < ActivityLockDuration, nameof(ActivityLockRenewInterval), "must be positive and shorter than ActivityLockDuration");
        Require(MinPollingInterval > TimeSpan.Zero && MinPollingInterval <= MaxPollingInterval, nameof(MinPollingInterval), "must be positive and at most MaxPollingInterval");
        Versioning.Validate();
    }

    private static void Require(bool condition, string setting, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"DurableWorkerOptions.{setting} {rule}.", setting);
        }
    }
}
