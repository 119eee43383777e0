using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recording.Durable.History;

/// <summary>The one set of JSON options for history events, messages and payloads, shared by every backend.</summary>
public static class DurableJson
{
    /// <summary>Web defaults (camelCase), enums as strings, "$type" accepted anywhere in an object (table rows may reorder properties).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string? json) => string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json, Options);

    public static object? Deserialize(string? json, Type type) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, type, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            AllowOutOfOrderMetadataProperties = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
