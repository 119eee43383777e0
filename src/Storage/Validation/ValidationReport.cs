namespace Recording.Storage.Validation;

/// <summary>
/// What "Validate config" found: each permission, an overall verdict in words, and whether the probe object
/// was removed (when delete is denied it cannot be, and <see cref="ProbeLeftBehind"/> names it).
/// </summary>
public sealed record ValidationReport(
    bool Ok,
    string Verdict,
    IReadOnlyList<PermissionCheck> Checks,
    string ProbeKey,
    bool ProbeRemoved,
    TimeSpan Elapsed)
{
    public PermissionCheck this[string permission] => Checks.Single(c => c.Permission == permission);

    public string? ProbeLeftBehind => ProbeRemoved ? null : ProbeKey;
}
