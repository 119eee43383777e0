namespace Recording.Functions.Engine;

/// <summary>Which durable engine backend runs the orchestrations (section <c>Recording:Engine</c>): embedded SQLite by default, Azure Storage when configured.</summary>
public sealed class EngineOptions : Hosting.IValidatableOptions
{
    public const string Section = "Recording:Engine";
    public const string SqliteBackend = "sqlite";
    public const string AzureStorageBackend = "azureStorage";

    /// <summary><c>sqlite</c> (default) or <c>azureStorage</c>.</summary>
    public string Backend { get; set; } = SqliteBackend;

    /// <summary>The SQLite engine file; a relative path is inside <c>Recording:Local:DataDirectory</c>.</summary>
    public string SqliteFile { get; set; } = "engine.db";

    /// <summary>Azure Storage connection string (Azurite locally) for the <c>azureStorage</c> backend; never logged.</summary>
    public string? AzureStorageConnectionString { get; set; }

    /// <summary>Names the task hub's queues, tables and container.</summary>
    public string TaskHubName { get; set; } = "recording";

    public IEnumerable<string> Validate()
    {
        if (Backend is not (SqliteBackend or AzureStorageBackend))
        {
            yield return $"{Section}:Backend must be '{SqliteBackend}' or '{AzureStorageBackend}'";
        }

        if (Backend == SqliteBackend && (string.IsNullOrWhiteSpace(SqliteFile) || SqliteFile.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            yield return $"{Section}:SqliteFile must be a file name or path";
        }

        if (Backend == AzureStorageBackend && string.IsNullOrWhiteSpace(AzureStorageConnectionString))
        {
            yield return $"{Section}:AzureStorageConnectionString must be set when {Section}:Backend is '{AzureStorageBackend}'";
        }

        if (string.IsNullOrWhiteSpace(TaskHubName) || !TaskHubName.All(char.IsAsciiLetterOrDigit) || TaskHubName.Length is < 3 or > 45 || !char.IsAsciiLetter(TaskHubName[0]))
        {
            yield return $"{Section}:TaskHubName must be 3 to 45 letters or digits and start with a letter";
        }
    }
}
