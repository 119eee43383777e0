using Recording.Media.Compose;

namespace Recording.Functions.Compositions;

/// <summary>A validated composition request: what the service resolves against the recordings and schedules.</summary>
public sealed record CompositionCommand(
    string Id,
    IReadOnlyList<CompositionParticipant> Participants,
    CompositeLayout Layout,
    string Size,
    IReadOnlyList<string> Roles,
    bool NameLabels,
    DateTimeOffset RequestedAt);

/// <summary>A participant as requested: the recording to take their track from, their name and role.</summary>
public sealed record CompositionParticipant(string RecordingId, string Participant, string Role);
