namespace Recording.Storage.Validation;

/// <summary>Limits of one validation run.</summary>
public sealed record ValidationOptions
{
    /// <summary>Limit of each probe operation; six operations against a healthy endpoint answer well within 5 s.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
