namespace Recording.Functions.Events;

/// <summary>The data of a <see cref="RecordingCommandEventTypes.Stop"/> event.</summary>
public sealed record StopRecordingEventData
{
    public string? Id { get; init; }

    /// <summary>graceful (the default) or terminate.</summary>
    public string? Mode { get; init; }
}
