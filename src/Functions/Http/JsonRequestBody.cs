using System.Text.Json;
using System.Text.RegularExpressions;
using Recording.Functions.Serialization;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>Reads a JSON request body with a size cap, turning every failure into a field-and-rule error rather than an exception.</summary>
public static partial class JsonRequestBody
{
    /// <summary>The largest body any function accepts: requests are small documents, never media.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const string BodyField = "body";

    /// <summary>Reads and deserializes the body; on failure <paramref name="errors"/> names the field and the rule.</summary>
    public static async Task<(T? Value, ValidationErrors Errors)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken = default)
        where T : class
    {
        var (document, errors) = await ReadDocumentAsync(request, cancellationToken);
        if (document is null)
        {
            return (null, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(BodyField, "must be a JSON object");
                return (null, errors);
            }

            return (Deserialize<T>(document.RootElement, errors), errors);
        }
    }

    /// <summary>Reads the body as a JSON document of any shape (an object, or an array of them), capped and well-formed; the caller disposes it.</summary>
    public static async Task<(JsonDocument? Document, ValidationErrors Errors)> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (request.ContentLength > MaxBytes)
        {
            errors.Add(BodyField, $"must be at most {MaxBytes} bytes (1 MiB)");
            return (null, errors);
        }

        var bytes = await ReadCappedAsync(request.Body, cancellationToken);
        if (bytes is null)
        {
            errors.Add(BodyField, $"must be at most {MaxBytes} bytes (1 MiB)");
            return (null, errors);
        }

        if (bytes.Length == 0)
        {
            errors.Add(BodyField, "is required: a JSON object");
            return (null, errors);
        }

        try
        {
            return (JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 }), errors);
        }
        catch (JsonException ex)
        {
            errors.Add(BodyField, $"must be well-formed JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
            return (null, errors);
        }
    }

    /// <summary>Deserializes one JSON object; a failure is added to <paramref name="errors"/> with its field path below <paramref name="prefix"/>.</summary>
    public static T? Deserialize<T>(JsonElement element, ValidationErrors errors, string prefix = "")
        where T : class
    {
        try
        {
            var value = element.ValueKind == JsonValueKind.Object ? element.Deserialize<T>(ApiJson.Options) : null;
            if (value is null)
            {
                errors.Add(prefix.Length == 0 ? BodyField : prefix, "must be a JSON object");
            }

            return value;
        }
        catch (JsonException ex)
        {
            var (field, rule) = Describe(ex);
            errors.Add(prefix.Length == 0 ? field : field == BodyField ? prefix : ValidationErrors.Join(prefix, field), rule);
            return null;
        }
    }

    /// <summary>Turns a deserialization failure into a camelCase field path and a rule without .NET type names.</summary>
    internal static (string Field, string Rule) Describe(JsonException ex)
    {
        var field = FieldFromPath(ex.Path);
        var unmapped = UnmappedProperty().Match(ex.Message);
        if (unmapped.Success)
        {
            // The serializer reports either the object's path or the property's own; name the property once either way.
            var name = unmapped.Groups[1].Value;
            var known = field == BodyField ? name : field.EndsWith(name, StringComparison.Ordinal) ? field : ValidationErrors.Join(field, name);
            return (known, "is not a known field");
        }

        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        // Our converters throw rules phrased for users; the serializer's own messages name .NET types, so they are replaced.
        var rule = message.StartsWith("must ", StringComparison.Ordinal) ? message : "has the wrong JSON type for this field";
        return (field, rule);
    }

    private static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return BodyField;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? BodyField : field;
    }

    private static async Task<byte[]?> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedProperty();
}
