using System.Text.Json;
using Recording.Functions.Storage;

namespace Recording.Functions.Hosting;

/// <summary>The placeholder registered until the storage layer provides <see cref="IStorageValidation"/>: answers 503.</summary>
public sealed class UnwiredStorageValidation : IStorageValidation
{
    public Task<StorageValidationResult> ValidateAsync(JsonElement destination, CancellationToken cancellationToken = default) =>
        throw new ServiceNotWiredException("Storage validation");
}
