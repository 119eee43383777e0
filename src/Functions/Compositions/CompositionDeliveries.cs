using Recording.Functions.Notifications;

namespace Recording.Functions.Compositions;

/// <summary>The answer of <c>GET /api/compositions/{id}/notifications</c>: every delivery attempt of the composition's events, oldest first.</summary>
public sealed record CompositionDeliveries(string CompositionId, IReadOnlyList<DeliveryAttempt> Deliveries);
