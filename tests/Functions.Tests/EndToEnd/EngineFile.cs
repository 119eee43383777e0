using Microsoft.Data.Sqlite;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>Reads a running service's SQLite engine file (read-only, unpooled, so that the service's own connections are undisturbed).</summary>
internal static class EngineFile
{
    /// <summary>The orchestration version the instance was stamped with; the test fails if the instance is not there.</summary>
    public static async Task<string?> VersionOfAsync(string dataDirectory, string instanceId)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM instances WHERE instance_id = $id";
        command.Parameters.AddWithValue("$id", instanceId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{instanceId} is in the engine file");
        return reader.IsDBNull(0) ? null : reader.GetString(0);
    }

    public static async Task<SqliteConnection> OpenAsync(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "engine.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
