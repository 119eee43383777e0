using System.Text.Json;
using Recording.Functions.Validation;

namespace Recording.Functions.Events;

/// <summary>
/// A delivery to the events endpoint as Event Grid makes one: a batch (or a single event) in the Event Grid schema or as
/// CloudEvents 1.0 in structured JSON, or the subscription validation handshake of the Event Grid schema.
/// </summary>
public sealed record EventDelivery(IReadOnlyList<InboundEvent> Events, string? ValidationCode)
{
    public const string SubscriptionValidationType = "Microsoft.EventGrid.SubscriptionValidationEvent";

    /// <summary>Event Grid's own largest batch is 5,000 events within 1 MB; recording commands come a few at a time.</summary>
    public const int MaxEvents = 1000;

    /// <summary>Reads a delivery; null, with <paramref name="errors"/> naming each field and rule, when it is not one.</summary>
    public static EventDelivery? Parse(JsonElement root, ValidationErrors errors)
    {
        List<JsonElement>? items = root.ValueKind switch
        {
            JsonValueKind.Array => [.. root.EnumerateArray()],
            JsonValueKind.Object => [root],
            _ => null,
        };
        if (items is null || items.Count == 0 || items.Count > MaxEvents)
        {
            errors.Add("body", $"must be an event or an array of 1 to {MaxEvents} events (Event Grid schema or CloudEvents 1.0)");
            return null;
        }

        var events = new List<InboundEvent>();
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"events[{i}]";
            var item = items[i];
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(field, "must be a JSON object");
                continue;
            }

            var isCloudEvent = item.TryGetProperty("specversion", out var version);
            if (isCloudEvent && (version.ValueKind != JsonValueKind.String || version.GetString() != "1.0"))
            {
                errors.Add(field + ".specversion", "must be 1.0");
                continue;
            }

            var typeField = isCloudEvent ? "type" : "eventType";
            var id = Text(item, "id");
            var type = Text(item, typeField);
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(type))
            {
                errors.Add(string.IsNullOrEmpty(id) ? field + ".id" : $"{field}.{typeField}", "is required: a non-empty string");
                continue;
            }

            var data = item.TryGetProperty("data", out var value) ? value.Clone() : default;
            if (type == SubscriptionValidationType)
            {
                // Event Grid sends the handshake alone, when the subscription is created; the endpoint echoes its code.
                var code = data.ValueKind == JsonValueKind.Object ? Text(data, "validationCode") : null;
                if (string.IsNullOrEmpty(code))
                {
                    errors.Add(field + ".data.validationCode", "is required: a non-empty string");
                    return null;
                }

                return new EventDelivery([], code);
            }

            events.Add(new InboundEvent(i, id, type, data));
        }

        return errors.IsEmpty ? new EventDelivery(events, null) : null;
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
