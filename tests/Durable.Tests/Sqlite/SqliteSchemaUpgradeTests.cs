using Microsoft.Data.Sqlite;
using Recording.Durable.Backends.Sqlite;
using Recording.Durable.History;

namespace Recording.Durable.Tests.Sqlite;

/// <summary>An engine file made before a column was added still opens, keeps its instances, and gains the column.</summary>
public sealed class SqliteSchemaUpgradeTests(TempDatabase databases) : IClassFixture<TempDatabase>
{
    [Fact]
    public async Task AFileWithoutTheVersionColumn_GainsIt_AndItsInstancesReadAsUnversioned()
    {
        var path = databases.NewPath();
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // The instances table as it was before orchestration versions, with one instance in it.
            command.CommandText = """
                CREATE TABLE instances (instance_id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL, status TEXT NOT NULL,
                    created_at INTEGER NOT NULL, last_updated_at INTEGER NOT NULL, completed_at INTEGER NULL, scheduled_start_at INTEGER NULL,
                    input TEXT NULL, output TEXT NULL, custom_status TEXT NULL, failure TEXT NULL, parent TEXT NULL);
                INSERT INTO instances (instance_id, name, execution_id, status, created_at, last_updated_at, input)
                    VALUES ('from-before', 'Orch', 'e0', 'Running', 638000000000000000, 638000000000000000, '"kept"');
                """;
            await command.ExecuteNonQueryAsync();
        }

        // Opened without CreateIfNotExistsAsync first, as a reader may be: the first connection brings the file up to date.
        var backend = new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = path });

        var before = await backend.GetInstanceAsync("from-before");
        Assert.NotNull(before);
        Assert.Equal("\"kept\"", before.Input);
        Assert.Null(before.Version);
        await backend.CreateInstanceAsync("versioned", new ExecutionStarted("Orch", "e1", null) { Version = "3.1" }, DateTimeOffset.UtcNow);
        Assert.Equal("3.1", (await backend.GetInstanceAsync("versioned"))!.Version);

        // Another process opening the upgraded file finds the column there and adds nothing.
        var next = new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = path });
        await next.CreateIfNotExistsAsync();
        Assert.Equal("3.1", (await next.GetInstanceAsync("versioned"))!.Version);
    }
}
