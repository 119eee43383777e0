using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends.Sqlite;

/// <summary>The embedded default backend: one SQLite file in WAL mode; each lock and each commit is one IMMEDIATE transaction,
/// and locks are leases with an expiry, so several worker processes on one machine can share the file.</summary>
public sealed class SqliteDurableBackend : IDurableBackend
{
    private readonly SqliteDurableBackendOptions options;
    private readonly ICommitStepListener? listener;
    private readonly string connectionString;
    private readonly long busyTimeoutMilliseconds;
    private readonly HistoryCache<HistoryEvent> historyCache = new(capacity: 10_000);
    private int schemaCreated;

    public SqliteDurableBackend(SqliteDurableBackendOptions options, ICommitStepListener? listener = null)
    {
        options.Validate();
        this.options = options;
        this.listener = listener;
        busyTimeoutMilliseconds = (long)options.BusyTimeout.TotalMilliseconds;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await CreateSchemaAsync(connection, cancellationToken);
    }

    /// <summary>Creates the tables if missing and brings a file made by an earlier version up to date.</summary>
    private async Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;" + SqliteSchema.Create, cancellationToken);
        if ((long)(await ScalarAsync(connection, null, SqliteSchema.HasVersionColumn, cancellationToken))! == 0)
        {
            await ExecuteAsync(connection, null, SqliteSchema.AddVersionColumn, cancellationToken);
        }

        Volatile.Write(ref schemaCreated, 1);
    }

    public async Task<CreateInstanceResult> CreateInstanceAsync(string instanceId, ExecutionStarted started, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var existing = await ReadInstanceAsync(connection, transaction, instanceId, cancellationToken);
        if (existing is not null && !existing.RuntimeStatus.IsTerminal())
        {
            return new CreateInstanceResult(existing, Created: false);
        }

        var startMessage = new OrchestrationMessage(instanceId, null, started with { Timestamp = now }, $"{instanceId}|{started.ExecutionId}|start")
        {
            VisibleAt = started.ScheduledStartAt,
        };
        var state = await StartInstanceAsync(connection, transaction, startMessage, existing, now, cancellationToken);
        await InsertMessageAsync(connection, transaction, startMessage, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreateInstanceResult(state, Created: true);
    }

    public async Task SendMessagesAsync(IReadOnlyList<OrchestrationMessage> messages, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await SendAsync(connection, transaction, messages, Now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<OrchestrationWorkItem?> LockNextOrchestrationWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var now = Now;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var instanceId = (string?)await ScalarAsync(connection, transaction, """
            SELECT m.instance_id FROM messages m
            WHERE m.visible_at <= $now
              AND NOT EXISTS (SELECT 1 FROM instance_locks l WHERE l.instance_id = m.instance_id AND l.locked_until > $now)
            ORDER BY m.visible_at, m.id LIMIT 1
            """, cancellationToken, ("$now", now.UtcTicks));
        if (instanceId is null)
        {
            return null;
        }

        var token = Guid.NewGuid().ToString("N");
        var lockedUntil = now + lockDuration;
        await ExecuteAsync(connection, transaction, """
            INSERT INTO instance_locks (instance_id, lock_token, locked_until) VALUES ($id, $token, $until)
            ON CONFLICT (instance_id) DO UPDATE SET lock_token = excluded.lock_token, locked_until = excluded.locked_until
            """, cancellationToken, ("$id", instanceId), ("$token", token), ("$until", lockedUntil.UtcTicks));

        var rowIds = new List<long>();
        var messages = new List<OrchestrationMessage>();
        await using (var command = Command(connection, transaction, "SELECT id, body FROM messages WHERE instance_id = $id AND visible_at <= $now ORDER BY id", ("$id", instanceId), ("$now", now.UtcTicks)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rowIds.Add(reader.GetInt64(0));
                messages.Add(DurableJson.Deserialize<OrchestrationMessage>(reader.GetString(1))!);
            }
        }

        var state = await ReadInstanceAsync(connection, transaction, instanceId, cancellationToken);
        var history = historyCache.Known(instanceId, state?.ExecutionId);
        await ReadHistoryAsync(connection, transaction, instanceId, history, cancellationToken);
        historyCache.Remember(instanceId, state?.ExecutionId, history);
        await transaction.CommitAsync(cancellationToken);
        return new OrchestrationWorkItem(instanceId, history, messages, state, token, lockedUntil) { BackendContext = rowIds };
    }

    public async Task CompleteOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, OrchestrationCommit commit, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var instanceId = workItem.InstanceId;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await EnsureLockHeldAsync(connection, transaction, workItem, cancellationToken);

        foreach (var request in commit.ActivityRequests)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO activities (instance_id, body, visible_at) VALUES ($instance, $body, $now)", cancellationToken,
                ("$instance", request.InstanceId), ("$body", DurableJson.Serialize(request)), ("$now", now.UtcTicks));
        }

        await StepAsync(CommitStep.ActivityRequestsSent, instanceId, cancellationToken);
        await SendAsync(connection, transaction, commit.OutboundMessages, now, cancellationToken);
        await StepAsync(CommitStep.MessagesSent, instanceId, cancellationToken);

        if (commit.ReplacesHistory)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM history WHERE instance_id = $id", cancellationToken, ("$id", instanceId));
        }

        var next = Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(sequence), -1) + 1 FROM history WHERE instance_id = $id", cancellationToken, ("$id", instanceId)), CultureInfo.InvariantCulture);
        foreach (var e in commit.NewHistory)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO history (instance_id, sequence, event) VALUES ($id, $seq, $event)", cancellationToken,
                ("$id", instanceId), ("$seq", next++), ("$event", DurableJson.Serialize(e)));
        }

        await StepAsync(CommitStep.HistoryWritten, instanceId, cancellationToken);
        if (commit.State is { } state)
        {
            await WriteInstanceAsync(connection, transaction, state, cancellationToken);
        }

        await StepAsync(CommitStep.StateWritten, instanceId, cancellationToken);
        var consumed = commit.ConsumedMessageIds.ToHashSet(StringComparer.Ordinal);
        var rowIds = workItem.BackendContext as IReadOnlyList<long> ?? [];
        for (var i = 0; i < rowIds.Count && i < workItem.NewMessages.Count; i++)
        {
            if (consumed.Contains(workItem.NewMessages[i].MessageId))
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM messages WHERE id = $row", cancellationToken, ("$row", rowIds[i]));
            }
        }

        await ExecuteAsync(connection, transaction, "DELETE FROM instance_locks WHERE instance_id = $id", cancellationToken, ("$id", instanceId));
        await StepAsync(CommitStep.MessagesDeleted, instanceId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        historyCache.ForgetIfEnded(instanceId, commit);
    }

    /// <summary>How many instances' histories this backend holds in memory (an ended execution's is dropped at once).</summary>
    internal int CachedHistories => historyCache.Count;

    public async Task AbandonOrchestrationWorkItemAsync(OrchestrationWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (retryAfter is { } delay && delay > TimeSpan.Zero)
        {
            // Keep the lock until the delay passes: the instance becomes available again then, with all its messages.
            await ExecuteAsync(connection, null, "UPDATE instance_locks SET locked_until = $until WHERE instance_id = $id AND lock_token = $token", cancellationToken,
                ("$until", (Now + delay).UtcTicks), ("$id", workItem.InstanceId), ("$token", workItem.LockToken));
            return;
        }

        await ExecuteAsync(connection, null, "DELETE FROM instance_locks WHERE instance_id = $id AND lock_token = $token", cancellationToken,
            ("$id", workItem.InstanceId), ("$token", workItem.LockToken));
    }

    public async Task<ActivityWorkItem?> LockNextActivityWorkItemAsync(TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var token = Guid.NewGuid().ToString("N");
        var lockedUntil = now + lockDuration;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            UPDATE activities SET visible_at = $until, lock_token = $token, dequeue_count = dequeue_count + 1
            WHERE id = (SELECT id FROM activities WHERE visible_at <= $now ORDER BY visible_at, id LIMIT 1)
            RETURNING id, body, dequeue_count
            """, ("$until", lockedUntil.UtcTicks), ("$token", token), ("$now", now.UtcTicks));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ActivityWorkItem(
            reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
            DurableJson.Deserialize<ActivityRequest>(reader.GetString(1))!,
            token,
            lockedUntil,
            reader.GetInt32(2));
    }

    public async Task<ActivityWorkItem> RenewActivityWorkItemLockAsync(ActivityWorkItem workItem, TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var lockedUntil = Now + lockDuration;
        await using var connection = await OpenAsync(cancellationToken);
        var updated = await ExecuteAsync(connection, null, "UPDATE activities SET visible_at = $until WHERE id = $id AND lock_token = $token", cancellationToken,
            ("$until", lockedUntil.UtcTicks), ("$id", long.Parse(workItem.Id, CultureInfo.InvariantCulture)), ("$token", workItem.LockToken));
        return updated == 1
            ? workItem with { LockedUntil = lockedUntil }
            : throw new WorkItemLockLostException($"The lock on activity work item {workItem.Id} ('{workItem.Request.Name}' for '{workItem.Request.InstanceId}') was lost.");
    }

    public async Task CompleteActivityWorkItemAsync(ActivityWorkItem workItem, OrchestrationMessage result, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await SendAsync(connection, transaction, [result], Now, cancellationToken);
        await StepAsync(CommitStep.ActivityResultSent, workItem.Request.InstanceId, cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM activities WHERE id = $id AND lock_token = $token", cancellationToken,
            ("$id", long.Parse(workItem.Id, CultureInfo.InvariantCulture)), ("$token", workItem.LockToken));
        if (deleted != 1)
        {
            throw new WorkItemLockLostException($"The lock on activity work item {workItem.Id} ('{workItem.Request.Name}' for '{workItem.Request.InstanceId}') was lost; its result was not sent.");
        }

        await StepAsync(CommitStep.ActivityDeleted, workItem.Request.InstanceId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AbandonActivityWorkItemAsync(ActivityWorkItem workItem, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE activities SET visible_at = $at, lock_token = NULL WHERE id = $id AND lock_token = $token", cancellationToken,
            ("$at", (Now + (retryAfter ?? TimeSpan.Zero)).UtcTicks), ("$id", long.Parse(workItem.Id, CultureInfo.InvariantCulture)), ("$token", workItem.LockToken));
    }

    public async Task<InstanceState?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadInstanceAsync(connection, null, instanceId, cancellationToken);
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var history = new List<HistoryEvent>();
        await ReadHistoryAsync(connection, null, instanceId, history, cancellationToken);
        return history;
    }

    public async Task<InstanceQueryPage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        if (query.PageSize is < 1 or > 1000)
        {
            throw new ArgumentException("InstanceQuery.PageSize must be between 1 and 1000.", nameof(query));
        }

        var sql = new StringBuilder("SELECT * FROM instances WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (query.Statuses is { Count: > 0 } statuses)
        {
            var names = statuses.Select((s, i) => (Name: $"$s{i}", Value: s.ToString())).ToList();
            sql.Append(" AND status IN (").Append(string.Join(", ", names.Select(n => n.Name))).Append(')');
            parameters.AddRange(names.Select(n => (n.Name, (object?)n.Value)));
        }

        if (query.CreatedFrom is { } from)
        {
            sql.Append(" AND created_at >= $from");
            parameters.Add(("$from", from.UtcTicks));
        }

        if (query.CreatedTo is { } to)
        {
            sql.Append(" AND created_at < $to");
            parameters.Add(("$to", to.UtcTicks));
        }

        if (!string.IsNullOrEmpty(query.NamePrefix))
        {
            sql.Append(" AND substr(name, 1, length($namePrefix)) = $namePrefix");
            parameters.Add(("$namePrefix", query.NamePrefix));
        }

        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            sql.Append(" AND substr(instance_id, 1, length($idPrefix)) = $idPrefix");
            parameters.Add(("$idPrefix", query.InstanceIdPrefix));
        }

        if (query.ContinuationToken is { } token)
        {
            var (afterTicks, afterId) = ParseContinuationToken(token);
            sql.Append(" AND (created_at > $afterTicks OR (created_at = $afterTicks AND instance_id > $afterId))");
            parameters.Add(("$afterTicks", afterTicks));
            parameters.Add(("$afterId", afterId));
        }

        sql.Append(" ORDER BY created_at, instance_id LIMIT $limit");
        parameters.Add(("$limit", query.PageSize + 1));

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<InstanceState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = ReadInstance(reader);
            page.Add(query.FetchInputsAndOutputs ? state : state with { Input = null, Output = null, CustomStatus = null });
        }

        if (page.Count <= query.PageSize)
        {
            return new InstanceQueryPage(page, null);
        }

        page.RemoveAt(page.Count - 1);
        var last = page[^1];
        var next = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.CreatedAt.UtcTicks}:{last.InstanceId}"));
        return new InstanceQueryPage(page, next);
    }

    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var state = await ReadInstanceAsync(connection, transaction, instanceId, cancellationToken);
        if (state is null || !state.RuntimeStatus.IsTerminal())
        {
            return false;
        }

        foreach (var table in new[] { "instances", "history", "messages", "instance_locks", "activities" })
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE instance_id = $id", cancellationToken, ("$id", instanceId));
        }

        await transaction.CommitAsync(cancellationToken);
        historyCache.Forget(instanceId);
        return true;
    }

    private static (long Ticks, string InstanceId) ParseContinuationToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return (long.Parse(text[..colon], CultureInfo.InvariantCulture), text[(colon + 1)..]);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidContinuationTokenException(exception);
        }
    }

    private async Task SendAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<OrchestrationMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            if (message.Event is ExecutionStarted started)
            {
                var existing = await ReadInstanceAsync(connection, transaction, message.InstanceId, cancellationToken);
                if (existing is not null && existing.RuntimeStatus.IsTerminal() && existing.ExecutionId == started.ExecutionId)
                {
                    // The start of an execution that has run and ended, sent again: running it twice would repeat its work.
                    continue;
                }

                if (existing is null || existing.RuntimeStatus.IsTerminal())
                {
                    await StartInstanceAsync(connection, transaction, message, existing, now, cancellationToken);
                }
            }

            await InsertMessageAsync(connection, transaction, message, now, cancellationToken);
        }
    }

    /// <summary>Writes a Pending state for a new execution, dropping the history and messages of a previous, ended one.</summary>
    private static async Task<InstanceState> StartInstanceAsync(SqliteConnection connection, SqliteTransaction transaction, OrchestrationMessage startMessage, InstanceState? previous, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = (ExecutionStarted)startMessage.Event;
        if (previous is not null)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM history WHERE instance_id = $id", cancellationToken, ("$id", startMessage.InstanceId));
            await ExecuteAsync(connection, transaction, "DELETE FROM messages WHERE instance_id = $id", cancellationToken, ("$id", startMessage.InstanceId));
        }

        var state = started.PendingState(startMessage.InstanceId, now);
        await WriteInstanceAsync(connection, transaction, state, cancellationToken);
        return state;
    }

    private static Task<int> InsertMessageAsync(SqliteConnection connection, SqliteTransaction transaction, OrchestrationMessage message, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "INSERT INTO messages (message_id, instance_id, visible_at, body) VALUES ($mid, $id, $visible, $body)", cancellationToken,
            ("$mid", message.MessageId), ("$id", message.InstanceId), ("$visible", (message.VisibleAt ?? now).UtcTicks), ("$body", DurableJson.Serialize(message)));

    private static async Task EnsureLockHeldAsync(SqliteConnection connection, SqliteTransaction transaction, OrchestrationWorkItem workItem, CancellationToken cancellationToken)
    {
        var token = (string?)await ScalarAsync(connection, transaction, "SELECT lock_token FROM instance_locks WHERE instance_id = $id", cancellationToken, ("$id", workItem.InstanceId));
        if (token != workItem.LockToken)
        {
            throw new WorkItemLockLostException($"The lock on orchestration '{workItem.InstanceId}' was lost (it expired and another worker took it); this episode is not committed.");
        }
    }

    private static async Task WriteInstanceAsync(SqliteConnection connection, SqliteTransaction transaction, InstanceState state, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, """
            INSERT INTO instances (instance_id, name, execution_id, status, created_at, last_updated_at, completed_at, scheduled_start_at, input, output, custom_status, failure, parent, version)
            VALUES ($id, $name, $execution, $status, $created, $updated, $completed, $scheduled, $input, $output, $custom, $failure, $parent, $version)
            ON CONFLICT (instance_id) DO UPDATE SET name = excluded.name, execution_id = excluded.execution_id, status = excluded.status,
                created_at = excluded.created_at, last_updated_at = excluded.last_updated_at, completed_at = excluded.completed_at,
                scheduled_start_at = excluded.scheduled_start_at, input = excluded.input, output = excluded.output,
                custom_status = excluded.custom_status, failure = excluded.failure, parent = excluded.parent,
                version = excluded.version
            """, cancellationToken,
            ("$id", state.InstanceId), ("$name", state.Name), ("$execution", state.ExecutionId), ("$status", state.RuntimeStatus.ToString()),
            ("$created", state.CreatedAt.UtcTicks), ("$updated", state.LastUpdatedAt.UtcTicks), ("$completed", state.CompletedAt?.UtcTicks),
            ("$scheduled", state.ScheduledStartAt?.UtcTicks), ("$input", state.Input), ("$output", state.Output), ("$custom", state.CustomStatus),
            ("$failure", state.FailureDetails is null ? null : DurableJson.Serialize(state.FailureDetails)),
            ("$parent", state.Parent is null ? null : DurableJson.Serialize(state.Parent)), ("$version", state.Version));

    private static async Task<InstanceState?> ReadInstanceAsync(SqliteConnection connection, SqliteTransaction? transaction, string instanceId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT * FROM instances WHERE instance_id = $id", ("$id", instanceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadInstance(reader) : null;
    }

    private static InstanceState ReadInstance(SqliteDataReader reader)
    {
        static DateTimeOffset Ticks(long ticks) => new(ticks, TimeSpan.Zero);
        string? Text(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
        long? Long(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetInt64(reader.GetOrdinal(column));

        return new InstanceState(
            reader.GetString(reader.GetOrdinal("instance_id")),
            reader.GetString(reader.GetOrdinal("name")),
            reader.GetString(reader.GetOrdinal("execution_id")),
            Enum.Parse<OrchestrationRuntimeStatus>(reader.GetString(reader.GetOrdinal("status"))),
            Ticks(reader.GetInt64(reader.GetOrdinal("created_at"))),
            Ticks(reader.GetInt64(reader.GetOrdinal("last_updated_at"))))
        {
            CompletedAt = Long("completed_at") is { } completed ? Ticks(completed) : null,
            ScheduledStartAt = Long("scheduled_start_at") is { } scheduled ? Ticks(scheduled) : null,
            Input = Text("input"),
            Output = Text("output"),
            CustomStatus = Text("custom_status"),
            FailureDetails = DurableJson.Deserialize<TaskFailureDetails>(Text("failure")),
            Parent = DurableJson.Deserialize<ParentInstance>(Text("parent")),
            Version = Text("version"),
        };
    }

    /// <summary>Appends to <paramref name="history"/> the events past those it holds (sequences are 0, 1, 2, ... within an execution).</summary>
    private static async Task ReadHistoryAsync(SqliteConnection connection, SqliteTransaction? transaction, string instanceId, List<HistoryEvent> history, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT event FROM history WHERE instance_id = $id AND sequence >= $from ORDER BY sequence", ("$id", instanceId), ("$from", (long)history.Count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(DurableJson.Deserialize<HistoryEvent>(reader.GetString(0))!);
        }
    }

    private ValueTask StepAsync(CommitStep step, string instanceId, CancellationToken cancellationToken) =>
        listener?.OnCommitStepAsync(step, instanceId, cancellationToken) ?? ValueTask.CompletedTask;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (Volatile.Read(ref schemaCreated) == 0)
        {
            await CreateSchemaAsync(connection, cancellationToken);
        }

        // NORMAL is durable across process crashes in WAL mode (only an OS crash may lose the last commits), and much faster than FULL.
        // busy_timeout: SQLite's own busy handler retries a locked write after 1, 2, 5, 10... ms. Without it the lock error reaches
        // Microsoft.Data.Sqlite, whose retry loop waits far longer between tries; concurrent commits then showed ~200 ms stalls.
        await ExecuteAsync(connection, null, $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={busyTimeoutMilliseconds};", cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }
}
