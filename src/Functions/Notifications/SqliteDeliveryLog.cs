using System.Globalization;
using Microsoft.Data.Sqlite;
using Recording.Functions.Hosting;

namespace Recording.Functions.Notifications;

/// <summary>The delivery log in the service's local SQLite file.</summary>
public sealed class SqliteDeliveryLog(SqliteDatabase database) : IDeliveryLog
{
    public async Task AppendAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO notification_deliveries (recording_id, event_id, event_type, sequence, target, attempt, outcome, status_code, error, elapsed_ms, at)
            VALUES ($recording, $event, $type, $sequence, $target, $attempt, $outcome, $status, $error, $elapsed, $at)
            """;
        command.Parameters.AddWithValue("$recording", attempt.LogKey);
        command.Parameters.AddWithValue("$event", attempt.EventId);
        command.Parameters.AddWithValue("$type", attempt.EventType);
        command.Parameters.AddWithValue("$sequence", attempt.Sequence);
        command.Parameters.AddWithValue("$target", attempt.Target);
        command.Parameters.AddWithValue("$attempt", attempt.Attempt);
        command.Parameters.AddWithValue("$outcome", attempt.Outcome.ToString());
        command.Parameters.AddWithValue("$status", (object?)attempt.StatusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)attempt.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$elapsed", (long)attempt.Elapsed.TotalMilliseconds);
        command.Parameters.AddWithValue("$at", attempt.At.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListAsync(string logKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT recording_id, event_id, event_type, sequence, target, attempt, outcome, status_code, error, elapsed_ms, at
            FROM notification_deliveries WHERE recording_id = $recording ORDER BY id
            """;
        command.Parameters.AddWithValue("$recording", logKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var attempts = new List<DeliveryAttempt>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new DeliveryAttempt(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.GetInt32(5),
                Enum.Parse<DeliveryOutcome>(reader.GetString(6)),
                reader.IsDBNull(7) ? null : reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                TimeSpan.FromMilliseconds(reader.GetInt64(9)),
                DateTimeOffset.Parse(reader.GetString(10), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return attempts;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS notification_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                recording_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                event_type TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                target TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                status_code INTEGER,
                error TEXT,
                elapsed_ms INTEGER NOT NULL,
                at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS notification_deliveries_by_recording ON notification_deliveries (recording_id, id);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
