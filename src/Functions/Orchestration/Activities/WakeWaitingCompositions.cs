using Recording.Durable.Activities;
using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Instances;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Tells the compositions waiting for a recording that it has ended (completed or failed), so that each checks its recordings
/// now rather than at its next pause, which is up to a minute away. The waiting ones are found by their published status
/// (<see cref="CompositionProgress.WaitingFor"/>), those whose first check has not published its list yet included: that
/// check may have read this recording before it ended. An extra wake costs one check; the event is a nudge, and a composition
/// it misses finds out at its next check. Returns how many were told.
/// </summary>
public sealed class WakeWaitingCompositions(DurableTaskClient client) : TaskActivity<string, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, string recordingId)
    {
        var woken = 0;
        // By id prefix as well as name: on Azure Storage a key range of the Instances table, not a scan of every instance.
        var running = new InstanceQuery
        {
            InstanceIdPrefix = CompositionOrchestrator.InstanceId(""),
            NamePrefix = nameof(CompositionOrchestrator),
            Statuses = [OrchestrationRuntimeStatus.Running],
        };
        await foreach (var composition in client.GetAllInstancesAsync(running, context.CancellationToken))
        {
            if (composition.ReadCustomStatusAs<CompositionProgress>() is { Phase: CompositionProgress.Waiting } progress && (progress.WaitingFor.Count == 0 || progress.WaitingFor.Contains(recordingId)))
            {
                await client.RaiseEventAsync(composition.InstanceId, CompositionOrchestrator.RecordingEndedEvent, recordingId, context.CancellationToken);
                woken++;
            }
        }

        return woken;
    }
}
