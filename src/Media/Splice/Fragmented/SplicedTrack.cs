namespace Recording.Media.Splice.Fragmented;

/// <summary>One track of a spliced fragmented MP4: its id, its handler (vide, soun), its timescale and where it ends so far (in that timescale).</summary>
public sealed record SplicedTrack(uint Id, string Handler, uint Timescale, long End)
{
    public TimeSpan EndTime => TimeSpan.FromTicks((long)((decimal)End * TimeSpan.TicksPerSecond / Timescale));
}
