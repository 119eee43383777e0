using Recording.Durable.Activities;
using Recording.Functions.Jobs;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Makes sure a media job runs (or returns its result): the orchestrator's start of the job and each of its later checks.</summary>
public sealed class StartMediaJob(IMediaJobRunner runner) : TaskActivity<MediaJobOrder, MediaJobStatus>
{
    public override Task<MediaJobStatus> RunAsync(TaskActivityContext context, MediaJobOrder input) =>
        runner.EnsureAsync(input, context.CancellationToken);
}
