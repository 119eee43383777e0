namespace Recording.Durable.Backends.Sqlite;

/// <summary>Where the SQLite backend keeps its single database file.</summary>
public sealed class SqliteDurableBackendOptions
{
    /// <summary>Path of the database file (created if missing). Several processes on one machine may share it.</summary>
    public string DatabasePath { get; set; } = "durable.db";

    /// <summary>How long a connection waits for another writer before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for visibility and lock expiry (tests may substitute it).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new ArgumentException("SqliteDurableBackendOptions.DatabasePath must name a file.", nameof(DatabasePath));
        }

        if (BusyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("SqliteDurableBackendOptions.BusyTimeout must be positive.", nameof(BusyTimeout));
        }
    }
}
