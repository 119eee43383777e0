using Recording.Durable.Activities;
using Recording.Functions.Compositions;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Where a composition's recordings stand, read from the engine (an activity: the orchestrator does no I/O).</summary>
public sealed class ResolveCompositionTracks(CompositionTrackResolver resolver) : TaskActivity<CompositionCommand, CompositionTracks>
{
    public override Task<CompositionTracks> RunAsync(TaskActivityContext context, CompositionCommand input) => resolver.ResolveAsync(input, context.CancellationToken);
}
