using Recording.Durable.Activities;
using Recording.Functions.Jobs;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Starts the recording's capture job (or re-attaches to it: the runner is idempotent on the recording id).</summary>
public sealed class StartCapture(ICaptureJobRunner runner) : TaskActivity<CaptureJobRequest, CaptureJobHandle>
{
    public override Task<CaptureJobHandle> RunAsync(TaskActivityContext context, CaptureJobRequest input) =>
        runner.StartAsync(input, context.CancellationToken);
}
