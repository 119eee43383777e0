namespace Recording.Functions.Compositions;

/// <summary>One participant of a composition: their recording, the name on their tile and their role.</summary>
public sealed record CompositionTrackRequest
{
    public string? RecordingId { get; init; }

    /// <summary>The name shown on the tile; absent: the recording id.</summary>
    public string? Participant { get; init; }

    /// <summary>The participant's role, for the role filter and the speaker layout ("host" is the speaker); absent: "participant".</summary>
    public string? Role { get; init; }
}
