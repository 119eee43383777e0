using System.Text;
using Azure;
using Azure.Data.Tables;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>The History table: per instance a partition holding one row per event (RowKey = execution id | zero-padded sequence) and the <see cref="InstanceRow"/>.</summary>
internal sealed class HistoryTable(TableClient table, LargePayloadStore payloads)
{
    /// <summary>An entity-group transaction holds 100 operations; one is kept for the instance row that fences each batch.</summary>
    private const int EventsPerBatch = 99;

    private readonly HistoryCache<(HistoryEvent Event, string? Token)> cache = new(capacity: 10_000);

    /// <summary>
    /// The instance row with its state. A large state's blob is deleted once a commit has replaced it, so a read that lands
    /// between the row and its blob reads the row again: the new row names the new state.
    /// </summary>
    public async Task<InstanceRow?> ReadInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(instanceId), TableKeys.InstanceRowKey, cancellationToken: cancellationToken);
            if (!response.HasValue || response.Value is null)
            {
                return null;
            }

            try
            {
                return await ToInstanceRowAsync(instanceId, response.Value, cancellationToken);
            }
            catch (RequestFailedException ex) when (LargePayloadStore.IsMissingBlob(ex) && attempt < LargePayloadStore.MissingStateReads)
            {
            }
        }
    }

    private async Task<InstanceRow> ToInstanceRowAsync(string instanceId, TableEntity entity, CancellationToken cancellationToken)
    {
        var stateJson = await LoadPropertyAsync(entity, "State", cancellationToken);
        return new InstanceRow(
            instanceId,
            entity.GetString("ExecutionId"),
            entity.GetInt32("HistoryCount") ?? 0,
            stateJson is null ? null : DurableJson.Deserialize<InstanceState>(stateJson),
            entity.GetString("LockToken"),
            entity.GetDateTimeOffset("LockedUntil"),
            entity.ETag);
    }

    /// <summary>Inserts the instance row (fails with null when another writer made it first).</summary>
    public async Task<ETag?> TryAddInstanceAsync(InstanceRow row, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await table.AddEntityAsync(await ToEntityAsync(row, cancellationToken), cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Replaces the instance row if it still has <paramref name="row"/>'s ETag; null when someone else changed it.</summary>
    public async Task<ETag?> TryReplaceInstanceAsync(InstanceRow row, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await table.UpdateEntityAsync(await ToEntityAsync(row, cancellationToken), row.ETag, TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Deletes the row if unchanged since read (used to drop a lock stub); false when someone else changed it.</summary>
    public async Task<bool> TryDeleteInstanceRowAsync(InstanceRow row, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.DeleteEntityAsync(TableKeys.Escape(row.InstanceId), TableKeys.InstanceRowKey, row.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>The first <paramref name="count"/> events of an execution, each with the token of the episode that wrote it.</summary>
    public async Task<IReadOnlyList<(HistoryEvent Event, string? Token)>> ReadHistoryAsync(string instanceId, string? executionId, int count, CancellationToken cancellationToken = default)
    {
        if (executionId is null || count == 0)
        {
            return [];
        }

        // Only the rows past those this process already read for this execution (committed rows never change).
        var events = cache.Known(instanceId, executionId);
        if (events.Count > count)
        {
            events.Clear();
        }

        var (_, to) = TableKeys.HistoryRange(executionId);
        var from = TableKeys.HistoryRowKey(executionId, events.Count);
        var partition = TableKeys.Escape(instanceId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            // Rows past the committed count are left by a commit that lost its lock midway: never part of the history.
            if (events.Count == count)
            {
                break;
            }

            var json = await LoadPropertyAsync(entity, "Event", cancellationToken)
                ?? throw new InvalidDataException($"History row {entity.RowKey} of instance '{instanceId}' has no event.");
            events.Add((DurableJson.Deserialize<HistoryEvent>(json)!, entity.GetString("Token")));
        }

        if (events.Count < count)
        {
            throw new InvalidDataException($"Instance '{instanceId}' has {events.Count} history rows for execution '{executionId}' but its instance row says {count}.");
        }

        cache.Remember(instanceId, executionId, events);
        return events;
    }

    /// <summary>
    /// Writes <paramref name="events"/> from <paramref name="firstSequence"/> and then the new instance row, every batch guarded by
    /// the instance row's ETag so that a worker that lost its lock cannot write a single row. Returns null when the ETag no longer
    /// matched (nothing of the history became visible: readers stop at the committed count, which moves only in the last batch).
    /// </summary>
    public async Task<ETag?> TryCommitAsync(InstanceRow current, InstanceRow next, int firstSequence, IReadOnlyList<HistoryEvent> events, string token, CancellationToken cancellationToken = default)
    {
        var partition = TableKeys.Escape(current.InstanceId);
        var etag = current.ETag;
        var rows = new List<TableEntity>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var entity = new TableEntity(partition, TableKeys.HistoryRowKey(next.ExecutionId!, firstSequence + i))
            {
                ["EventType"] = events[i].GetType().Name,
                ["Token"] = token,
            };
            await SetEventAsync(entity, current.InstanceId, DurableJson.Serialize(events[i]), cancellationToken);
            rows.Add(entity);
        }

        var offset = 0;
        do
        {
            var chunk = rows.Skip(offset).Take(EventsPerBatch).ToList();
            offset += chunk.Count;
            var last = offset >= rows.Count;
            // Intermediate batches touch the instance row only to move its ETag, which fences the next batch.
            var fence = last
                ? await ToEntityAsync(next, cancellationToken)
                : new TableEntity(partition, TableKeys.InstanceRowKey) { ["CommitInProgress"] = token };
            var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).ToList();
            actions.Add(new TableTransactionAction(last ? TableTransactionActionType.UpdateReplace : TableTransactionActionType.UpdateMerge, fence, etag));
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                etag = response.Value[^1].Headers.ETag ?? throw new InvalidDataException("The table service returned no ETag for the instance row.");
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                return null;
            }
        }
        while (offset < rows.Count);

        return etag;
    }

    /// <summary>Deletes every row of the instance's partition (all executions and the instance row).</summary>
    public async Task DeletePartitionAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var partition = TableKeys.Escape(instanceId);
        var keys = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(entity);
        }

        await DeleteRowsAsync(keys, cancellationToken);
    }

    /// <summary>Drops the in-memory history of an instance whose execution this process saw end (see <see cref="HistoryCache{TEvent}"/>).</summary>
    public void ForgetIfEnded(string instanceId, OrchestrationCommit commit) => cache.ForgetIfEnded(instanceId, commit);

    /// <summary>How many instances' histories this process holds in memory.</summary>
    internal int CachedHistories => cache.Count;

    /// <summary>Deletes the history rows of one execution (ended by ContinueAsNew or replaced by a restart), then the blobs of its large events.</summary>
    public async Task DeleteExecutionAsync(string instanceId, string executionId, CancellationToken cancellationToken = default)
    {
        var partition = TableKeys.Escape(instanceId);
        var (from, to) = TableKeys.HistoryRange(executionId);
        var keys = new List<TableEntity>();
        var blobs = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "EventBlob"], cancellationToken: cancellationToken))
        {
            keys.Add(new TableEntity(entity.PartitionKey, entity.RowKey));
            if (entity.GetString("EventBlob") is { } blob)
            {
                blobs.Add(blob);
            }
        }

        await DeleteRowsAsync(keys, cancellationToken);
        foreach (var blob in blobs)
        {
            await payloads.DeleteAsync(blob, cancellationToken);
        }
    }

    private async Task DeleteRowsAsync(List<TableEntity> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        }
    }

    private async Task<TableEntity> ToEntityAsync(InstanceRow row, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Escape(row.InstanceId), TableKeys.InstanceRowKey)
        {
            ["InstanceId"] = row.InstanceId,
            ["ExecutionId"] = row.ExecutionId,
            ["HistoryCount"] = row.HistoryCount,
            ["LockToken"] = row.LockToken,
            ["LockedUntil"] = row.LockedUntil,
        };
        if (row.State is not null)
        {
            entity["RuntimeStatus"] = row.State.RuntimeStatus.ToString();
            var state = DurableJson.Serialize(row.State);
            if (Encoding.UTF8.GetByteCount(state) <= LargePayloadStore.MaxInlineTablePropertyBytes)
            {
                entity["State"] = state;
            }
            else
            {
                entity["StateBlob"] = await payloads.StoreStateAsync(row.InstanceId, state, cancellationToken);
            }
        }

        return entity;
    }

    private async Task SetEventAsync(TableEntity entity, string instanceId, string json, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetByteCount(json) <= LargePayloadStore.MaxInlineTablePropertyBytes)
        {
            entity["Event"] = json;
            return;
        }

        entity["EventBlob"] = await payloads.StoreLargeAsync(instanceId, json, cancellationToken);
    }

    private async Task<string?> LoadPropertyAsync(TableEntity entity, string name, CancellationToken cancellationToken)
    {
        var blob = entity.GetString(name + "Blob");
        var inline = entity.GetString(name);
        return blob is null && inline is null ? null : await payloads.LoadAsync(inline, blob, cancellationToken);
    }
}
