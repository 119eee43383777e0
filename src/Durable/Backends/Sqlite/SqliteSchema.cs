namespace Recording.Durable.Backends.Sqlite;

/// <summary>The tables of the SQLite backend. Times are stored as UTC ticks so that they compare as integers.</summary>
internal static class SqliteSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS instances (
            instance_id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_updated_at INTEGER NOT NULL,
            completed_at INTEGER NULL,
            scheduled_start_at INTEGER NULL,
            input TEXT NULL,
            output TEXT NULL,
            custom_status TEXT NULL,
            failure TEXT NULL,
            parent TEXT NULL,
            version TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS instances_by_created ON instances (created_at, instance_id);

        CREATE TABLE IF NOT EXISTS history (
            instance_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY (instance_id, sequence)
        );

        -- Orchestration messages; an instance is locked (in instance_locks) while one worker runs its episode.
        CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            visible_at INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (visible_at, id);
        CREATE INDEX IF NOT EXISTS messages_by_instance ON messages (instance_id, id);

        CREATE TABLE IF NOT EXISTS instance_locks (
            instance_id TEXT NOT NULL PRIMARY KEY,
            lock_token TEXT NOT NULL,
            locked_until INTEGER NOT NULL
        );

        -- Activity requests; a lock pushes visible_at to the lock's expiry, so an expired lock makes the item visible again.
        CREATE TABLE IF NOT EXISTS activities (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            body TEXT NOT NULL,
            visible_at INTEGER NOT NULL,
            lock_token TEXT NULL,
            dequeue_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS activities_by_visibility ON activities (visible_at, id);
        """;

    /// <summary>Whether the instances table has the orchestration version column (files made before it was added do not).</summary>
    public const string HasVersionColumn = "SELECT COUNT(*) FROM pragma_table_info('instances') WHERE name = 'version'";

    /// <summary>Adds the version column to a file made before it; its instances keep no version, which is older than any.</summary>
    public const string AddVersionColumn = "ALTER TABLE instances ADD COLUMN version TEXT NULL";
}
