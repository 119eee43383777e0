using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Recording.Functions.Hosting;

/// <summary>Opens connections to the service's local SQLite file, creating the folder; WAL unless configured for a network share.</summary>
public sealed class SqliteDatabase(IOptions<LocalDataOptions> options)
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.Value.DatabasePath)!);
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // The value is one of two validated words, never user input.
        pragma.CommandText = $"PRAGMA journal_mode={options.Value.DatabaseJournal}; PRAGMA busy_timeout=5000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
