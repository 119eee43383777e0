namespace Recording.Media.Splice;

/// <summary>What a splice does with the wall-clock gaps between segments (the source was away).</summary>
public enum GapPolicy
{
    /// <summary>Close the gaps: the segments follow each other directly. The default.</summary>
    Cut,

    /// <summary>Insert black video and silence for the length of every gap, so the timeline matches the wall clock.</summary>
    Fill,
}
