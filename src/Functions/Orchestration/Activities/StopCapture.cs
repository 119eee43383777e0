using Recording.Durable.Activities;
using Recording.Functions.Jobs;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Asks the capture job to stop gracefully; its <c>exited</c> event reports the end.</summary>
public sealed class StopCapture(ICaptureJobRunner runner) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        await runner.StopAsync(input, context.CancellationToken);
        return true;
    }
}
