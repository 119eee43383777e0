using System.Text.Json.Serialization;

namespace Recording.Functions.Notifications;

/// <summary>
/// One attempt to deliver one event to one target, as kept in the delivery log. <see cref="LogKey"/> is the log the attempt
/// belongs to (a recording's id, or <c>composition:{id}</c>); the API answers name their recording or composition once, so it
/// is left out of them.
/// </summary>
public sealed record DeliveryAttempt(
    [property: JsonIgnore] string LogKey,
    string EventId,
    string EventType,
    long Sequence,
    string Target,
    int Attempt,
    DeliveryOutcome Outcome,
    int? StatusCode,
    string? Error,
    TimeSpan Elapsed,
    DateTimeOffset At);

/// <summary>What an attempt came to: delivered, failed but retried, or failed for good.</summary>
public enum DeliveryOutcome
{
    Delivered,
    Retrying,
    Failed,
}
