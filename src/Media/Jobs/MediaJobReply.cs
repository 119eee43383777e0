namespace Recording.Media.Jobs;

/// <summary>
/// The message a queue worker sends to its reply queue once a job's result is written (JSON with the manifest's options): the
/// request's <see cref="MediaJobRequest.CorrelationId"/>, its operation and the result.
/// </summary>
public sealed record MediaJobReply
{
    /// <summary>Tells a reply apart from other messages on a shared queue.</summary>
    public const string MessageType = "media-job-reply";

    public string Type { get; init; } = MessageType;

    public required string CorrelationId { get; init; }

    public required MediaJobOperation Operation { get; init; }

    public required MediaJobResult Result { get; init; }
}
