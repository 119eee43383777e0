namespace Recording.Functions.Templates;

/// <summary>Who is told about a recording's events: webhooks (signed per endpoint) and an Event Grid topic.</summary>
public sealed record NotificationSettings
{
    public List<WebhookEndpoint> Webhooks { get; init; } = [];

    public EventGridTopic? EventGrid { get; init; }
}
