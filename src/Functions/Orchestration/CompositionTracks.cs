namespace Recording.Functions.Orchestration;

/// <summary>Where a composition's recordings stand: all ready (<see cref="Ready"/>), some still going (<see cref="Waiting"/>), or some refused.</summary>
public sealed record CompositionTracks(ResolvedComposition? Ready, IReadOnlyList<string> Waiting, IReadOnlyList<CompositionTrackRefusal> Refused);

/// <summary>A track whose recording cannot be composed: the field (<c>tracks[i].recordingId</c>) and the rule it breaks.</summary>
public sealed record CompositionTrackRefusal(string Field, string Rule);
