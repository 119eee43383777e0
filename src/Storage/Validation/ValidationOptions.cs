namespace Recording.Storage.Validation;

/// <summary>Limits of one validation run.</summary>
public sealed record ValidationOptions
{
    /// <summary>Limit of each probe operation; six operations against a healthy endpoint answer well within 5 s.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The handler the probe's requests go through (<see cref="Upload.UploadOptions.HttpHandler"/>); null: each SDK's own.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }
}
