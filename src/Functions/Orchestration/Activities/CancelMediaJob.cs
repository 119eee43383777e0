using Recording.Durable.Activities;
using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Asks a media job's worker to stop (<see cref="MediaJobCancellation"/>): the orchestrator no longer wants the job, because its
/// time ran out or its composition was canceled. Whichever runner started it, the worker looks for the marker while it runs, and
/// a job still queued ends as soon as a worker takes it.
/// </summary>
public sealed class CancelMediaJob : TaskActivity<CancelMediaJobInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CancelMediaJobInput input)
    {
        await MediaJobCancellation.RequestAsync(input.Request, input.Reason, context.CancellationToken);
        return true;
    }
}
