using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recording.Functions.Serialization;

/// <summary>The one set of JSON rules for requests, responses and stored documents.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the API's rules to a given options instance (used for ASP.NET Core's own HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // A misspelt field is refused by name rather than silently ignored (a typo in "segmentLength" would otherwise record with the default).
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new DurationJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
