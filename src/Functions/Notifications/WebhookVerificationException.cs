namespace Recording.Functions.Notifications;

/// <summary>A webhook delivery failed verification: missing headers, a stale or future timestamp, or no matching signature.</summary>
public sealed class WebhookVerificationException(string message) : Exception(message);
