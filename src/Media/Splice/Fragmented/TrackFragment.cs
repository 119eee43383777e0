namespace Recording.Media.Splice.Fragmented;

/// <summary>One track's run in a moof: where its decode time starts, how long its samples last, and where its tfdt value sits.</summary>
internal sealed record TrackFragment(uint TrackId, long DecodeTime, long Duration, int DecodeTimeOffset, bool Wide)
{
    public long End => DecodeTime + Duration;
}
