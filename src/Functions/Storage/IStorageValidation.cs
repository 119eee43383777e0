using System.Text.Json;

namespace Recording.Functions.Storage;

/// <summary>
/// Checks a destination for <c>POST /api/storage/validate</c>: settings well formed, credentials accepted, a test object written, read back and deleted.
/// Implemented on the storage layer (src/Storage); the HTTP layer has already refused hostile strings (see <c>DestinationRules</c>).
/// </summary>
public interface IStorageValidation
{
    Task<StorageValidationResult> ValidateAsync(JsonElement destination, CancellationToken cancellationToken = default);
}
