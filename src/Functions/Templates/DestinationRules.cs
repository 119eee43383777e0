using System.Text.Json;
using Recording.Functions.Validation;

namespace Recording.Functions.Templates;

/// <summary>
/// The checks on a destination that need no knowledge of storage: its shape and obviously hostile strings.
/// The storage layer validates the settings themselves (and reaches the bucket) behind <c>IStorageValidation</c>.
/// </summary>
public static class DestinationRules
{
    private const int MaxDepth = 4;
    private const int MaxStringLength = 2048;

    /// <summary>Property names whose values are credentials: stored, used, never returned.</summary>
    public static bool IsSecretProperty(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.Contains("secret", StringComparison.Ordinal) || lower.Contains("password", StringComparison.Ordinal)
            || lower.Contains("connectionstring", StringComparison.Ordinal) || lower.Contains("sastoken", StringComparison.Ordinal)
            || lower.Contains("accesskey", StringComparison.Ordinal) || lower.Contains("accountkey", StringComparison.Ordinal)
            || lower.Contains("token", StringComparison.Ordinal) || lower == "sas" || lower == "key";
    }

    public static void Validate(JsonElement? destination, string field, ValidationErrors errors)
    {
        if (destination is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "must be an object: a reference {\"ref\": \"name\"} or inline destination settings");
            return;
        }

        Walk(value, field, 1, errors);
    }

    private static void Walk(JsonElement element, string path, int depth, ValidationErrors errors)
    {
        if (depth > MaxDepth)
        {
            errors.Add(path, $"must not nest deeper than {MaxDepth} levels");
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path + "." + property.Name, depth + 1, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", depth + 1, errors);
                }

                break;
            case JsonValueKind.String:
                CheckString(element.GetString()!, path, errors);
                break;
        }
    }

    private static void CheckString(string value, string path, ValidationErrors errors)
    {
        if (value.Length > MaxStringLength)
        {
            errors.Add(path, $"must be at most {MaxStringLength} characters");
        }

        if (value.Any(char.IsControl))
        {
            errors.Add(path, "must not contain control characters");
        }

        var name = path[(path.LastIndexOf('.') + 1)..].ToLowerInvariant();
        var isKeyPart = name.Contains("prefix", StringComparison.Ordinal) || name.Contains("path", StringComparison.Ordinal)
            || name.Contains("folder", StringComparison.Ordinal) || name is "container" or "bucket";
        if (isKeyPart && value.Replace('\\', '/').Split('/').Any(part => part == ".."))
        {
            errors.Add(path, "must not contain a '..' segment");
        }

        if (name.Contains("prefix", StringComparison.Ordinal) && value.StartsWith('/'))
        {
            errors.Add(path, "must not start with '/'");
        }
    }
}
