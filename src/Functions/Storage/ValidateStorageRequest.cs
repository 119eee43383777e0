using System.Text.Json;

namespace Recording.Functions.Storage;

/// <summary>The body of <c>POST /api/storage/validate</c>.</summary>
public sealed record ValidateStorageRequest
{
    public JsonElement? Destination { get; init; }
}
