namespace Recording.Storage.Validation;

/// <summary>Outcome of one permission check.</summary>
public enum PermissionStatus
{
    /// <summary>The operation worked.</summary>
    Ok,

    /// <summary>The store refused it (access denied, bad credentials, missing bucket): the user must fix the settings or policy.</summary>
    Missing,

    /// <summary>It could not be checked (unreachable endpoint, timeout, unexpected answer).</summary>
    Failed,

    /// <summary>Not tried because an earlier step it depends on failed (nothing to read when the write failed).</summary>
    Skipped,
}
