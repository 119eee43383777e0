using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>The Instances table: one row per instance with its status in typed columns, the index that queries scan.</summary>
/// <remarks>
/// The authoritative state is the instance row in the History table (written atomically with the history). This row is a
/// projection written right after each commit; a crash in between leaves the consumed messages undeleted, and the worker
/// that receives them again rewrites the projection before anything else.
/// </remarks>
internal sealed class StatusTable(TableClient table, LargePayloadStore payloads)
{
    public async Task UpsertAsync(InstanceState state, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(TableKeys.Escape(state.InstanceId), TableKeys.StatusRowKey)
        {
            ["InstanceId"] = state.InstanceId,
            ["Name"] = state.Name,
            ["ExecutionId"] = state.ExecutionId,
            ["RuntimeStatus"] = state.RuntimeStatus.ToString(),
            // Ticks as Int64 so that paging compares exactly (table DateTime precision differs between Azure and Azurite).
            ["CreatedTicks"] = state.CreatedAt.UtcTicks,
            ["CreatedAt"] = state.CreatedAt,
            ["LastUpdatedAt"] = state.LastUpdatedAt,
        };
        var json = DurableJson.Serialize(state);
        if (Encoding.UTF8.GetByteCount(json) <= LargePayloadStore.MaxInlineTablePropertyBytes)
        {
            entity["State"] = json;
        }
        else
        {
            // The same blob as the History table's instance row of this state (content-addressed): nothing is uploaded twice.
            entity["StateBlob"] = await payloads.StoreStateAsync(state.InstanceId, json, cancellationToken);
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task DeleteAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.DeleteEntityAsync(TableKeys.Escape(instanceId), TableKeys.StatusRowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: purge is idempotent.
        }
    }

    /// <summary>
    /// One page ordered by creation time then instance id. Azure Tables sorts only by key, so every page scans the rows that
    /// match the filter and sorts them here; the continuation token is the (creation ticks, id) of the page's last row.
    /// </summary>
    public async Task<InstanceQueryPage> QueryAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        if (query.PageSize < 1)
        {
            throw new ArgumentException("PageSize: must be at least 1.", nameof(query));
        }

        var filters = new List<string>();
        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            var prefix = Uri.EscapeDataString(query.InstanceIdPrefix);
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {Successor(prefix)}"));
        }

        if (!string.IsNullOrEmpty(query.NamePrefix))
        {
            filters.Add(TableClient.CreateQueryFilter($"Name ge {query.NamePrefix} and Name lt {Successor(query.NamePrefix)}"));
        }

        if (query.Statuses is { Count: > 0 })
        {
            filters.Add("(" + string.Join(" or ", query.Statuses.Select(s => TableClient.CreateQueryFilter($"RuntimeStatus eq {s.ToString()}"))) + ")");
        }

        if (query.CreatedFrom is { } from)
        {
            filters.Add(TableClient.CreateQueryFilter($"CreatedTicks ge {from.UtcTicks}"));
        }

        if (query.CreatedTo is { } to)
        {
            filters.Add(TableClient.CreateQueryFilter($"CreatedTicks lt {to.UtcTicks}"));
        }

        (long Ticks, string Id)? after = null;
        if (query.ContinuationToken is not null)
        {
            after = ParseToken(query.ContinuationToken);
            filters.Add(TableClient.CreateQueryFilter($"CreatedTicks ge {after.Value.Ticks}"));
        }

        var rows = new List<(long Ticks, string Id, TableEntity Entity)>();
        var filter = filters.Count == 0 ? null : string.Join(" and ", filters);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var ticks = entity.GetInt64("CreatedTicks") ?? 0;
            var id = entity.GetString("InstanceId") ?? "";
            if (after is { } a && (ticks < a.Ticks || (ticks == a.Ticks && string.CompareOrdinal(id, a.Id) <= 0)))
            {
                continue;
            }

            rows.Add((ticks, id, entity));
        }

        rows.Sort((x, y) => x.Ticks != y.Ticks ? x.Ticks.CompareTo(y.Ticks) : string.CompareOrdinal(x.Id, y.Id));
        var page = new List<InstanceState>();
        foreach (var row in rows.Take(query.PageSize))
        {
            var state = await LoadStateAsync(row.Entity, cancellationToken);
            if (state is not null)
            {
                page.Add(query.FetchInputsAndOutputs ? state : state with { Input = null, Output = null, CustomStatus = null });
            }
        }

        var token = rows.Count > query.PageSize
            ? string.Create(CultureInfo.InvariantCulture, $"{rows[query.PageSize - 1].Ticks}:{rows[query.PageSize - 1].Id}")
            : null;
        return new InstanceQueryPage(page, token);
    }

    /// <summary>
    /// The state a row names. Its blob may have been deleted since the row was read (a commit replaced the state): then the
    /// row is read again; null when the instance was purged in between.
    /// </summary>
    private async Task<InstanceState?> LoadStateAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return DurableJson.Deserialize<InstanceState>(await payloads.LoadAsync(entity.GetString("State"), entity.GetString("StateBlob"), cancellationToken))!;
            }
            catch (RequestFailedException ex) when (LargePayloadStore.IsMissingBlob(ex) && attempt < LargePayloadStore.MissingStateReads)
            {
                var reread = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
                if (!reread.HasValue || reread.Value is null)
                {
                    return null;
                }

                entity = reread.Value;
            }
        }
    }

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>.</summary>
    private static string Successor(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private static (long, string) ParseToken(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !long.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            throw new InvalidContinuationTokenException();
        }

        return (ticks, token[(colon + 1)..]);
    }
}
