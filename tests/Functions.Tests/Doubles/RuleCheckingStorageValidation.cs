using System.Text.Json;
using Recording.Functions.Storage;

namespace Recording.Functions.Tests.Doubles;

/// <summary>Test double for the HTTP layer only: stands in for the storage layer's validation, answering from the destination's shape.</summary>
public sealed class RuleCheckingStorageValidation : IStorageValidation
{
    public Task<StorageValidationResult> ValidateAsync(JsonElement destination, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (!destination.TryGetProperty("bucket", out var bucket) || bucket.ValueKind != JsonValueKind.String)
        {
            errors["bucket"] = ["is required"];
        }

        IReadOnlyList<StorageCheck> checks = errors.Count == 0 ? [new StorageCheck("write", true, "wrote and deleted a probe object")] : [];
        return Task.FromResult(new StorageValidationResult(errors, checks));
    }
}
