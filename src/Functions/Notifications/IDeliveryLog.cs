namespace Recording.Functions.Notifications;

/// <summary>The log of notification delivery attempts, one per recording and one per composition (see <see cref="DeliveryAttempt.LogKey"/>).</summary>
public interface IDeliveryLog
{
    Task AppendAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryAttempt>> ListAsync(string logKey, CancellationToken cancellationToken = default);
}
