namespace Recording.Durable.Versioning;

/// <summary>
/// Orchestration versioning, as Durable Functions' <c>defaultVersion</c>, <c>versionMatchStrategy</c> and
/// <c>versionFailureStrategy</c>: every new instance is stamped with a version for good, its code can branch on
/// <c>context.Version</c>, and a worker runs only the instances its strategy accepts. During a rolling upgrade, where old and
/// new service instances share one task hub, an old worker then leaves instances started by new code alone instead of
/// replaying them into a non-determinism failure.
/// </summary>
public sealed class OrchestrationVersioning
{
    /// <summary>The most characters a version may have.</summary>
    public const int MaxVersionLength = 100;

    /// <summary>The version of the code in this process: stamped on the instances its clients and orchestrators start, and the one its worker matches against. Null: none.</summary>
    public string? DefaultVersion { get; set; }

    public VersionMatchStrategy MatchStrategy { get; set; } = VersionMatchStrategy.CurrentOrOlder;

    public VersionFailureStrategy FailureStrategy { get; set; } = VersionFailureStrategy.Reject;

    /// <summary>How long a rejected instance's messages wait before a worker looks at them again (a newer worker may take them sooner only if it polls them first).</summary>
    public TimeSpan RejectedRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <paramref name="version"/> may name an orchestration version: at most <see cref="MaxVersionLength"/> characters, none of them a control character.</summary>
    public static bool IsWellFormed(string version) => version.Length <= MaxVersionLength && !version.Any(char.IsControl);

    /// <summary>Whether a worker of this versioning runs an instance created with <paramref name="instanceVersion"/>.</summary>
    public bool Accepts(string? instanceVersion) => MatchStrategy switch
    {
        VersionMatchStrategy.Strict => OrchestrationVersion.Compare(instanceVersion, DefaultVersion) == 0,
        VersionMatchStrategy.CurrentOrOlder => OrchestrationVersion.Compare(instanceVersion, DefaultVersion) <= 0,
        _ => true,
    };

    /// <summary>Why <see cref="Accepts"/> said no, for the log and the <c>VersionMismatch</c> failure.</summary>
    public string DescribeMismatch(string? instanceVersion) =>
        $"the instance's version '{instanceVersion}' is {(MatchStrategy == VersionMatchStrategy.Strict ? "not" : "newer than")} this worker's '{DefaultVersion}' ({MatchStrategy})";

    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting and the rule.</summary>
    public void Validate()
    {
        if (DefaultVersion is { } version && !IsWellFormed(version))
        {
            throw new ArgumentException($"OrchestrationVersioning.DefaultVersion must be at most {MaxVersionLength} characters without control characters.", nameof(DefaultVersion));
        }

        if (!Enum.IsDefined(MatchStrategy) || !Enum.IsDefined(FailureStrategy))
        {
            throw new ArgumentException("OrchestrationVersioning.MatchStrategy and FailureStrategy must be one of their named values.", nameof(MatchStrategy));
        }

        if (RejectedRetryDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException("OrchestrationVersioning.RejectedRetryDelay must be positive.", nameof(RejectedRetryDelay));
        }
    }
}
