namespace Recording.Functions.Orchestration;

/// <summary>Ends a recording as Failed after <c>recording.failed</c> was sent; <see cref="Code"/> is stable, the message says what the user can do.</summary>
public sealed class RecordingFailedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
