using System.Globalization;
using Azure.Data.Tables;
using Recording.Functions.Engine;

namespace Recording.Functions.Notifications;

/// <summary>
/// The delivery log in an Azure Storage table beside the engine's task hub: one partition per recording (or composition),
/// one row per attempt, keyed so that a partition reads back oldest first.
/// </summary>
public sealed class TableDeliveryLog(ServiceTables tables) : IDeliveryLog
{
    public async Task AppendAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await tables.EnsureCreatedAsync(cancellationToken);
        // Row keys sort as strings: the attempt's time to the tick, then a unique suffix for attempts in the same tick.
        var rowKey = $"{attempt.At.UtcTicks:D19}-{Guid.NewGuid():N}";
        await tables.Deliveries.AddEntityAsync(
            new TableEntity(attempt.LogKey, rowKey)
            {
                ["EventId"] = attempt.EventId,
                ["EventType"] = attempt.EventType,
                ["Sequence"] = attempt.Sequence,
                ["Target"] = attempt.Target,
                ["Attempt"] = attempt.Attempt,
                ["Outcome"] = attempt.Outcome.ToString(),
                ["StatusCode"] = attempt.StatusCode,
                ["Error"] = attempt.Error,
                ["ElapsedMs"] = (long)attempt.Elapsed.TotalMilliseconds,
                ["At"] = attempt.At.ToString("O", CultureInfo.InvariantCulture),
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListAsync(string logKey, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var attempts = new List<DeliveryAttempt>();
        await foreach (var row in tables.Deliveries.QueryAsync<TableEntity>(r => r.PartitionKey == logKey, cancellationToken: cancellationToken))
        {
            attempts.Add(new DeliveryAttempt(
                row.PartitionKey,
                row.GetString("EventId"),
                row.GetString("EventType"),
                row.GetInt64("Sequence") ?? 0,
                row.GetString("Target"),
                row.GetInt32("Attempt") ?? 0,
                Enum.Parse<DeliveryOutcome>(row.GetString("Outcome")),
                row.GetInt32("StatusCode"),
                row.GetString("Error"),
                TimeSpan.FromMilliseconds(row.GetInt64("ElapsedMs") ?? 0),
                DateTimeOffset.Parse(row.GetString("At"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return attempts;
    }
}
