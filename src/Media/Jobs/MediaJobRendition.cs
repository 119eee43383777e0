namespace Recording.Media.Jobs;

/// <summary>One verified rung of a ladder job: its MP4 (whose folder also holds the rung's HLS playlist and segments).</summary>
public sealed record MediaJobRendition(int ShortSide, string Mp4Path, long Bytes, TimeSpan Duration);
