namespace Recording.Functions.Storage;

/// <summary>The outcome of validating a destination: field errors (relative to the destination object) and the checks that ran.</summary>
public sealed record StorageValidationResult(IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<StorageCheck> Checks)
{
    public bool IsValid => Errors.Count == 0;
}
