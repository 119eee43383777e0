using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recording.Storage.Destinations;

/// <summary>
/// Where a secret lives instead of the secret itself: "env:NAME" (an environment variable, local runs)
/// or "keyvault:https://{vault}.vault.azure.net/secrets/{name}" (resolved by the host's Key Vault resolver).
/// The reference is not secret, so it serializes as written.
/// </summary>
[JsonConverter(typeof(SecretReferenceJsonConverter))]
public sealed record SecretReference
{
    public const string EnvironmentScheme = "env";
    public const string KeyVaultScheme = "keyvault";

    private SecretReference(string scheme, string name)
    {
        Scheme = scheme;
        Name = name;
    }

    /// <summary>"env" or "keyvault".</summary>
    public string Scheme { get; }

    /// <summary>The variable name or the Key Vault secret URI.</summary>
    public string Name { get; }

    /// <summary>Parses "env:NAME" or "keyvault:URI"; anything else is refused naming the rule.</summary>
    public static SecretReference Parse(string text, string field = "secretReference")
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? text[..colon] : string.Empty;
        var name = colon > 0 ? text[(colon + 1)..] : string.Empty;
        switch (scheme)
        {
            case EnvironmentScheme when name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'):
                return new SecretReference(scheme, name);
            case KeyVaultScheme when Uri.TryCreate(name, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps:
                return new SecretReference(scheme, name);
            default:
                throw new DestinationSettingsException([new SettingsError(field, "secret-reference-format",
                    "must be 'env:NAME' (letters, digits, '_') or 'keyvault:https://<vault>/secrets/<name>'.")]);
        }
    }

    public override string ToString() => Scheme + ":" + Name;

    private sealed class SecretReferenceJsonConverter : JsonConverter<SecretReference>
    {
        public override SecretReference? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.GetString() is { Length: > 0 } text ? Parse(text) : null;

        public override void Write(Utf8JsonWriter writer, SecretReference value, JsonSerializerOptions options)
            => writer.WriteStringValue(value.ToString());
    }
}
