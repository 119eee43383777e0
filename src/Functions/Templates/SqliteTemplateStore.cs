using System.Text.Json;
using Recording.Functions.Hosting;
using Recording.Functions.Serialization;

namespace Recording.Functions.Templates;

/// <summary>Templates in the service's local SQLite file, one JSON document per name.</summary>
public sealed class SqliteTemplateStore(SqliteDatabase database, TimeProvider clock) : ITemplateStore
{
    public async Task<bool> PutAsync(string name, RecordingTemplate template, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = connection.CreateCommand();
        // RETURNING tells insert from replace in one statement, so two concurrent PUTs cannot both claim "created".
        command.CommandText = """
            INSERT INTO templates (name, document, created_at, updated_at) VALUES ($name, $document, $now, $now)
            ON CONFLICT (name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            RETURNING created_at = updated_at
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(template, ApiJson.Options));
        command.Parameters.AddWithValue("$now", clock.GetUtcNow().ToString("O"));
        var created = await command.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt64(created, System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<RecordingTemplate?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM templates WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        var document = await command.ExecuteScalarAsync(cancellationToken) as string;
        return document is null ? null : JsonSerializer.Deserialize<RecordingTemplate>(document, ApiJson.Options);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM templates WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static async Task<Microsoft.Data.Sqlite.SqliteConnection> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        // Idempotent and cheap in SQLite; done on every open rather than guarded by state shared between requests.
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS templates (
                name TEXT PRIMARY KEY COLLATE BINARY,
                document TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
