namespace Recording.Durable.Versioning;

/// <summary>What a worker does with an instance its <see cref="VersionMatchStrategy"/> does not accept (Durable Functions' <c>versionFailureStrategy</c>).</summary>
public enum VersionFailureStrategy
{
    /// <summary>Leaves the instance's messages for a worker that accepts it (the default): the instance waits, nothing is lost.</summary>
    Reject,

    /// <summary>Ends the instance <c>Failed</c> with a <c>VersionMismatch</c> failure, without running its code.</summary>
    Fail,
}
