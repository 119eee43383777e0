using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recording.Functions.Templates;

/// <summary>The template as answered to a caller: write-only secrets (webhook secrets, topic keys, destination credentials) removed.</summary>
public static class TemplateView
{
    public static RecordingTemplate Redact(RecordingTemplate template) => template with
    {
        Destination = RedactDestination(template.Destination),
        Notifications = template.Notifications with
        {
            Webhooks = [.. template.Notifications.Webhooks.Select(hook => hook with { Secret = null, SecretConfigured = hook.Secret is not null })],
            EventGrid = template.Notifications.EventGrid is { } topic
                ? topic with { AccessKey = null, AccessKeyConfigured = topic.AccessKey is not null }
                : null,
        },
    };

    private static JsonElement? RedactDestination(JsonElement? destination)
    {
        if (destination is not { ValueKind: JsonValueKind.Object } value)
        {
            return destination;
        }

        var node = JsonNode.Parse(value.GetRawText())!;
        Strip(node);
        return JsonSerializer.SerializeToElement(node);
    }

    private static void Strip(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Select(pair => pair.Key).ToList())
            {
                if (DestinationRules.IsSecretProperty(name))
                {
                    obj.Remove(name);
                }
                else if (obj[name] is { } child)
                {
                    Strip(child);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                if (child is not null)
                {
                    Strip(child);
                }
            }
        }
    }
}
