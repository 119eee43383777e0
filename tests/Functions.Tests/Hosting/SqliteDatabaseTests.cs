using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;

namespace Recording.Functions.Tests.Hosting;

/// <summary>The service's SQLite file: WAL by default, the rollback journal for a file on a network share (the Azure deployment's).</summary>
public sealed class SqliteDatabaseTests
{
    [Theory]
    [InlineData(null, "wal")]
    [InlineData("delete", "delete")]
    public async Task JournalMode_IsTheConfiguredOne(string? configured, string expected)
    {
        var options = new LocalDataOptions { DataDirectory = Directory.CreateTempSubdirectory("sqlite-journal-").FullName };
        if (configured is not null)
        {
            options.DatabaseJournal = configured;
        }

        await using (var connection = await new SqliteDatabase(Options.Create(options)).OpenAsync())
        {
            await using var write = connection.CreateCommand();
            write.CommandText = "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x');";
            await write.ExecuteNonQueryAsync();
            await using var read = connection.CreateCommand();
            read.CommandText = "PRAGMA journal_mode;";
            Assert.Equal(expected, (string?)await read.ExecuteScalarAsync());

            // WAL keeps a -wal file beside the database while connections are open; the rollback journal never does.
            Assert.Equal(expected == "wal", File.Exists(options.DatabasePath + "-wal"));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void UnknownJournal_IsRefusedNamingTheSetting()
    {
        var failures = new LocalDataOptions { DatabaseJournal = "memory" }.Validate().ToList();

        Assert.Equal("Recording:Local:DatabaseJournal must be 'wal' or 'delete' (for a database on a network share)", Assert.Single(failures));
    }
}
