namespace Recording.Durable.Versioning;

/// <summary>Which orchestration instances a worker runs, by the version each was created with (Durable Functions' <c>versionMatchStrategy</c>).</summary>
public enum VersionMatchStrategy
{
    /// <summary>Every instance, whatever its version: no isolation.</summary>
    None,

    /// <summary>Only instances of exactly the worker's <see cref="OrchestrationVersioning.DefaultVersion"/>.</summary>
    Strict,

    /// <summary>Instances of the worker's version or older (the default): new code carries old instances on, old code never runs new ones.</summary>
    CurrentOrOlder,
}
