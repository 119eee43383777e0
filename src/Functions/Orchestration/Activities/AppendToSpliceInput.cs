using Recording.Media.Splice.Fragmented;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Append segment <paramref name="Index"/> (at <paramref name="SegmentPath"/>) to the spliced file, which stands at <paramref name="State"/>.</summary>
public sealed record AppendToSpliceInput(string SplicedPath, string SegmentPath, int Index, FragmentedSpliceState? State);
