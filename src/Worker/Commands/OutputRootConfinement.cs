namespace Recording.Worker.Commands;

/// <summary>
/// The media-job worker's --output-root rule: the paths of a queue message (written by anyone who can send to the queue)
/// must resolve inside the root, so that a hostile message can neither read nor write (nor empty) anything elsewhere.
/// Symbolic links are not resolved: what lies inside the root is the deployment's to arrange.
/// </summary>
internal sealed class OutputRootConfinement(string root)
{
    private readonly string prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;

    /// <summary>Whether <paramref name="path"/> is absolute and resolves strictly inside the root (the root itself is not inside).</summary>
    public bool Contains(string? path)
        => !string.IsNullOrEmpty(path) && !path.Contains('\0', StringComparison.Ordinal) && Path.IsPathFullyQualified(path)
            && Path.GetFullPath(path).StartsWith(prefix, StringComparison.Ordinal);
}
