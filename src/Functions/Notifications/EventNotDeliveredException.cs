namespace Recording.Functions.Notifications;

/// <summary>
/// An event that a receiver did not take after the notifier's own retries: the recording goes on, and names the event in
/// its status. Targets are shown as the delivery log shows them (scheme, host and path; never a query or a secret).
/// </summary>
public sealed class EventNotDeliveredException(string message) : Exception(message)
{
    public static EventNotDeliveredException For(IEnumerable<DeliveryResult> failed)
        => new("not taken by " + string.Join("; ", failed.Select(f => $"{f.Target} ({f.LastError ?? "failed"}, {f.Attempts} attempts)")));
}
