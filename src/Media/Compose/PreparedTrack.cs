namespace Recording.Media.Compose;

/// <summary>A validated track: its ffmpeg input index, absolute path, what streams it has, and its presence clamped to the composite, and where in the file it starts.</summary>
public sealed record PreparedTrack(int Input, string Path, string Participant, string Role, bool HasVideo, bool HasAudio, double JoinAt, double LeaveAt, double Offset = 0)
{
    public double Length => LeaveAt - JoinAt;
}
