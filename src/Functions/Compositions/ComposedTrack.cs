namespace Recording.Functions.Compositions;

/// <summary>
/// A participant on the composition's timeline, in seconds from its start: present from <see cref="JoinAt"/> (their recording's
/// first segment, against the earliest first segment of all) to <see cref="LeaveAt"/> (the end of their spliced file), in one
/// presence per stretch of their recording without a gap.
/// </summary>
public sealed record ComposedTrack(string RecordingId, string Participant, string Role, IReadOnlyList<TrackPresence> Presences)
{
    public double JoinAt => Presences.Count == 0 ? 0 : Presences[0].JoinAt;

    public double LeaveAt => Presences.Count == 0 ? 0 : Presences[^1].LeaveAt;
}

/// <summary>
/// A stretch of a participant's recording without a gap: on the timeline from <see cref="JoinAt"/> to <see cref="LeaveAt"/>,
/// played from <see cref="Offset"/> seconds into their spliced file (which closes the gaps between stretches).
/// </summary>
public sealed record TrackPresence(double JoinAt, double LeaveAt, double Offset);
