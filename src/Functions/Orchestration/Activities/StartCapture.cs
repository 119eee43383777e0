using Recording.Durable.Activities;
using Recording.Functions.Jobs;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Starts the recording's capture job (or re-attaches to it: the runner is idempotent on the recording id), unless the
/// recording was terminated meanwhile (<see cref="TerminationMarker"/>).
/// </summary>
public sealed class StartCapture(ICaptureJobRunner runner, RecordingWorkspace workspace) : TaskActivity<CaptureJobRequest, CaptureJobHandle>
{
    /// <summary>The job id of a handle for a capture that was not started because the recording had been terminated.</summary>
    public const string NotStarted = "not-started:terminated";

    public override async Task<CaptureJobHandle> RunAsync(TaskActivityContext context, CaptureJobRequest input)
    {
        var folder = workspace.WorkFolder(input.RecordingId);
        if (TerminationMarker.IsSet(folder))
        {
            return new CaptureJobHandle(input.RecordingId, NotStarted, Reattached: false);
        }

        var handle = await runner.StartAsync(input, context.CancellationToken);
        if (TerminationMarker.IsSet(folder))
        {
            // Terminated while the job was being launched: the terminate path may have looked for it before it existed.
            await runner.StopAsync(input.RecordingId, context.CancellationToken);
        }

        return handle;
    }
}
