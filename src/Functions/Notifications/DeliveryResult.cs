namespace Recording.Functions.Notifications;

/// <summary>The end of delivering one event to one target: delivered or not, after how many attempts, and the last failure.</summary>
public sealed record DeliveryResult(string Target, bool Delivered, int Attempts, int? LastStatusCode, string? LastError);
