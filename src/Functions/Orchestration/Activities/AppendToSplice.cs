using Recording.Durable.Activities;
using Recording.Media.Splice.Fragmented;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Appends a closed segment's fragments to the recording's spliced fMP4 while the recording goes on, so that the stop
/// only has the last segment left to add. Safe to repeat: the append starts from the length its input state gives.
/// </summary>
public sealed class AppendToSplice : TaskActivity<AppendToSpliceInput, FragmentedSpliceState>
{
    public override async Task<FragmentedSpliceState> RunAsync(TaskActivityContext context, AppendToSpliceInput input)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(input.SplicedPath)!);
        return await new FragmentedMp4Appender().AppendAsync(input.SplicedPath, input.State, input.SegmentPath, input.Index, context.CancellationToken);
    }
}
