namespace Recording.Functions.Notifications;

/// <summary>The answer of <c>GET /api/recordings/{id}/notifications</c>: every delivery attempt for the recording, oldest first.</summary>
public sealed record NotificationDeliveries(string RecordingId, IReadOnlyList<DeliveryAttempt> Deliveries);
