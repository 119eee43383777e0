namespace Recording.Media.Splice.Fragmented;

/// <summary>One track of a moov: its id, handler (vide, soun), media timescale, a hash of its sample description and its default sample duration (trex).</summary>
internal sealed record InitTrack(uint Id, string Handler, uint Timescale, string SampleDescriptionHash, uint DefaultSampleDuration);
