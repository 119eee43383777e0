namespace Recording.Functions.Hosting;

/// <summary>Where the service keeps its own state locally (section <c>Recording:Local</c>): by default a SQLite file under <c>./.recording/</c>.</summary>
public sealed class LocalDataOptions : IValidatableOptions
{
    public const string Section = "Recording:Local";

    /// <summary>The folder for local state; relative paths are relative to the working directory.</summary>
    public string DataDirectory { get; set; } = ".recording";

    /// <summary>The SQLite file for templates and the notification delivery log; relative paths are inside <see cref="DataDirectory"/>.</summary>
    public string DatabaseFile { get; set; } = "service.db";

    /// <summary>
    /// SQLite's journal for that file: <c>wal</c> (default; readers never block the writer) or <c>delete</c> for a file on
    /// a network share such as Azure Files, where WAL's shared-memory index cannot work (SQLite's own documentation).
    /// </summary>
    public string DatabaseJournal { get; set; } = "wal";

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFile));

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory) || DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return $"{Section}:DataDirectory must be a folder path";
        }

        if (string.IsNullOrWhiteSpace(DatabaseFile) || DatabaseFile.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return $"{Section}:DatabaseFile must be a file name or path";
        }

        if (DatabaseJournal is not ("wal" or "delete"))
        {
            yield return $"{Section}:DatabaseJournal must be 'wal' or 'delete' (for a database on a network share)";
        }
    }
}
