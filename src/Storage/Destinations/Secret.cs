using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recording.Storage.Destinations;

/// <summary>
/// A secret given inline (an access key, an account key, a connection string). It can be read from
/// JSON but is written back out as null, and ToString never shows it, so settings can be logged or
/// echoed in an API answer without leaking it.
/// </summary>
[JsonConverter(typeof(SecretJsonConverter))]
public sealed class Secret
{
    private readonly string value;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        this.value = value;
    }

    /// <summary>The secret itself: call only where it is handed to an SDK.</summary>
    public string Reveal() => value;

    public override string ToString() => "***";

    /// <summary>Reads a JSON string; writes null so that a secret never round-trips out of the service.</summary>
    private sealed class SecretJsonConverter : JsonConverter<Secret>
    {
        public override bool HandleNull => false;

        public override Secret? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return string.IsNullOrEmpty(text) ? null : new Secret(text);
        }

        public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options) => writer.WriteNullValue();
    }
}
