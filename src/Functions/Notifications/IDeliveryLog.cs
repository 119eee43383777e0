namespace Recording.Functions.Notifications;

/// <summary>The per-recording log of notification delivery attempts.</summary>
public interface IDeliveryLog
{
    Task AppendAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryAttempt>> ListAsync(string recordingId, CancellationToken cancellationToken = default);
}
