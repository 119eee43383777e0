namespace Recording.Media.Validation;

/// <summary>
/// Resolves a file name taken from a manifest or timeline against the folder that holds it, refusing anything that
/// could make ffmpeg read elsewhere: rooted paths, "..", protocol prefixes ("concat:", "http:"), control characters.
/// </summary>
public static class LocalMediaPath
{
    /// <summary>Returns the absolute path of <paramref name="relative"/> inside <paramref name="folder"/>, which must exist as a file.</summary>
    public static string Resolve(string folder, string? relative, string field)
    {
        if (string.IsNullOrWhiteSpace(relative))
        {
            throw new MediaInputException(field, "must name a file");
        }

        if (relative.Any(char.IsControl))
        {
            throw new MediaInputException(field, "must not contain control characters");
        }

        if (Path.IsPathRooted(relative) || relative.Contains(':', StringComparison.Ordinal))
        {
            throw new MediaInputException(field, "must be a path relative to its folder (no root, no drive, no protocol prefix)");
        }

        var parts = relative.Split('/', '\\');
        if (parts.Any(p => p == ".."))
        {
            throw new MediaInputException(field, "must not contain '..'");
        }

        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new MediaInputException(field, "must stay inside its folder");
        }

        if (!File.Exists(full))
        {
            throw new MediaInputException(field, $"file '{relative}' does not exist");
        }

        return full;
    }

    /// <summary>
    /// Refuses an output path that is one of the inputs: ffmpeg opens its output (-y) before it reads, so it would empty a
    /// recorded segment or track it was asked to join.
    /// </summary>
    public static void RefuseInputAsOutput(string output, IEnumerable<string> inputs)
    {
        var target = Path.GetFullPath(output);
        if (inputs.FirstOrDefault(input => string.Equals(Path.GetFullPath(input), target, StringComparison.Ordinal)) is { } input)
        {
            throw new MediaInputException("output", $"must not be one of the inputs ('{Path.GetFileName(input)}' would be overwritten)");
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (both absolute).</summary>
    public static bool IsWithin(string path, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>An input argument for ffmpeg that is always read as a local file, whatever characters the name holds.</summary>
    public static string AsFfmpegInput(string absolutePath) => "file:" + absolutePath;
}
