using System.Text.Json;
using System.Text.Json.Serialization;
using Recording.Functions.Templates;

namespace Recording.Functions.Recordings;

/// <summary>A request's template: the name of a stored one (a JSON string) or an inline template (a JSON object).</summary>
[JsonConverter(typeof(TemplateReferenceJsonConverter))]
public sealed record TemplateReference(string? Name, RecordingTemplate? Inline);

/// <summary>Reads <see cref="TemplateReference"/> from a string or an object.</summary>
public sealed class TemplateReferenceJsonConverter : JsonConverter<TemplateReference>
{
    /// <summary>The request property this converter reads; errors inside an inline template are reported under it.</summary>
    private const string PropertyPath = "$.template";

    public override TemplateReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new TemplateReference(reader.GetString(), null);
            case JsonTokenType.StartObject:
                try
                {
                    return new TemplateReference(null, JsonSerializer.Deserialize<RecordingTemplate>(ref reader, options));
                }
                catch (JsonException ex) when (ex.Path is not null)
                {
                    // A nested Deserialize reports paths from its own root; put them back under the request's property.
                    throw new JsonException(ex.Message, PropertyPath + ex.Path.TrimStart('$'), ex.LineNumber, ex.BytePositionInLine, ex);
                }

            default:
                throw new JsonException("must be a template name (string) or an inline template (object)");
        }
    }

    public override void Write(Utf8JsonWriter writer, TemplateReference value, JsonSerializerOptions options)
    {
        if (value.Name is not null)
        {
            writer.WriteStringValue(value.Name);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Inline, options);
        }
    }
}
