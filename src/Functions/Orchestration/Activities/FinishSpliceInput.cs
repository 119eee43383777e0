using Recording.Media.Splice.Fragmented;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>End the spliced file built while recording (<paramref name="State"/>) and, when <see cref="PostProcessInput.Upload"/> asks, upload it.</summary>
public sealed record FinishSpliceInput(PostProcessInput Work, string SplicedPath, FragmentedSpliceState State);
