namespace Recording.Functions.Notifications;

/// <summary>One attempt to deliver one event to one target, as kept in the delivery log.</summary>
public sealed record DeliveryAttempt(
    string RecordingId,
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
