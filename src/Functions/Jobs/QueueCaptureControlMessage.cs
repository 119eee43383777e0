namespace Recording.Functions.Jobs;

/// <summary>A message on a recording's control queue (JSON, Base64). Only <c>stop</c> exists: finish the open segment and end.</summary>
public sealed record QueueCaptureControlMessage
{
    public const string StopType = "stop";

    public string Type { get; init; } = StopType;

    public required string RecordingId { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }
}
