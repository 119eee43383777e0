using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace Recording.Functions.Serialization;

/// <summary>Reads a duration as "hh:mm:ss" (how it is written back) or ISO 8601 ("PT10M"), so API durations are TimeSpans rather than unit-suffixed integers.</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public const string Rule = "must be a duration such as \"00:10:00\" or \"PT10M\"";

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
            {
                try
                {
                    return XmlConvert.ToTimeSpan(text);
                }
                catch (FormatException)
                {
                    // Falls through to the rule below.
                }
                catch (OverflowException)
                {
                    // Falls through to the rule below.
                }
            }
            else if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        throw new JsonException(Rule);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
}
