using System.Text.Json.Serialization;

namespace Recording.Functions.Templates;

/// <summary>A webhook receiver and its Standard Webhooks signing secret (<c>whsec_</c> + base64). The secret is write-only.</summary>
public sealed record WebhookEndpoint
{
    public string Url { get; init; } = "";

    /// <summary>Write-only: accepted on input, never serialized in an answer (see <see cref="TemplateView"/>).</summary>
    public string? Secret { get; init; }

    /// <summary>Output only: tells the caller a secret is stored without showing it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SecretConfigured { get; init; }
}
