namespace Recording.Functions.Templates;

/// <summary>An Event Grid topic to publish CloudEvents to; without an access key the service's managed identity is used. The key is write-only.</summary>
public sealed record EventGridTopic
{
    public string Endpoint { get; init; } = "";

    public string? AccessKey { get; init; }

    public bool AccessKeyConfigured { get; init; }
}
