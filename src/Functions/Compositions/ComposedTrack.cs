namespace Recording.Functions.Compositions;

/// <summary>
/// A participant on the composition's timeline, in seconds from its start: present from <see cref="JoinAt"/> (their recording's
/// first segment, against the earliest first segment of all) to <see cref="LeaveAt"/> (that plus their spliced file's length).
/// </summary>
public sealed record ComposedTrack(string RecordingId, string Participant, string Role, double JoinAt, double LeaveAt);
