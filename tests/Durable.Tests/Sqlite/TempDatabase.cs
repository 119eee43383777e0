namespace Recording.Durable.Tests.Sqlite;

/// <summary>A SQLite file in a fresh temporary folder, deleted with its WAL files when the test class is done.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("durable-test-").FullName;

    public string NewPath() => Path.Combine(folder, $"{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection may still hold a file on some platforms; the OS cleans the temp folder.
        }
    }
}
