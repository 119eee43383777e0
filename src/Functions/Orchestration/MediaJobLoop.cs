using Recording.Durable.Orchestrations;
using Recording.Functions.Jobs;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration;

/// <summary>How long and how often an orchestration waits for, checks and starts its media jobs.</summary>
public sealed record MediaJobLimits(TimeSpan CheckInterval, TimeSpan Timeout, int Starts);

/// <summary>
/// Runs a media worker job to its successful result from inside an orchestrator (DESIGN.md: long media work never runs inside an
/// activity). The job's end arrives as an event on <paramref name="instanceId"/>, raced against a check timer: each check asks the
/// runner again, which returns a result whose event was lost, starts again a job whose worker died, and otherwise leaves the job
/// running. A retryable failure (ffmpeg killed, an I/O error) starts a new job with an id of its own, so that a late reply of the
/// failed one is told apart. All starts together are at most <see cref="MediaJobLimits.Starts"/>, within <see cref="MediaJobLimits.Timeout"/>.
/// A job that runs past its time, or whose orchestration is asked to stop (<paramref name="cancelRequested"/>), is canceled
/// (<see cref="CancelMediaJob"/>): its worker stops ffmpeg, rather than encoding on for nobody.
/// </summary>
/// <param name="report">Hears what is worth telling the user on the way (a restart, a retry); the orchestrator publishes it.</param>
/// <param name="cancelRequested">Completes, with the reason, when the orchestration is asked to stop; null when it cannot be.</param>
internal sealed class MediaJobLoop(TaskOrchestrationContext context, string instanceId, MediaJobLimits limits, Action<RecordingError> report, Task<string>? cancelRequested = null)
{
    private static readonly TaskOptions StartRetry = new(new RetryPolicy(3, TimeSpan.FromSeconds(2), 2.0));

    /// <summary>How long a canceled job's end is waited for, at most: a worker that looks for its marker once a second ends in seconds.</summary>
    private static readonly TimeSpan LongestCancelWait = TimeSpan.FromMinutes(1);

    // The next job end heard on the instance; set by RunAsync, once it knows the operation whose event to listen for.
    private Task<MediaJobResult> ended = null!;

    public async Task<MediaJobResult> RunAsync(MediaJobRequest first)
    {
        var request = first;
        var operation = request.Operation;
        ended = context.WaitForExternalEvent<MediaJobResult>(MediaJobEvents.Name(operation));
        var deadline = context.CurrentUtcDateTime + limits.Timeout;
        var starts = 0;
        string? lastStarted = null;
        while (true)
        {
            MediaJobResult? result = null;
            var status = await context.CallActivityAsync<MediaJobStatus>(nameof(StartMediaJob), new MediaJobOrder(instanceId, request, MayStart: starts < limits.Starts), StartRetry);
            switch (status.State)
            {
                case MediaJobState.Finished:
                    result = status.Result;
                    break;
                case MediaJobState.NotRunning:
                    throw new MediaJobFailedException(operation, $"its worker ended without a result {starts} time(s); see the job's log beside its output folder");
                case MediaJobState.Started:
                    // The same job started again means its worker died; a new job (after a retryable failure) is already reported.
                    starts++;
                    if (lastStarted == request.JobId)
                    {
                        // Worth telling: a job that keeps dying costs time, and its log beside the output folder says why.
                        report(new RecordingError("media-job-restarted", $"The {Name(operation)} job's worker ended without a result; the job was started again ({starts} of {limits.Starts} starts).", Now));
                    }

                    lastStarted = request.JobId;
                    break;
            }

            if (result is null)
            {
                if (context.CurrentUtcDateTime >= deadline)
                {
                    var reason = $"it ran longer than {limits.Timeout}";
                    await CancelAsync(request, reason);
                    throw new MediaJobFailedException(operation, reason);
                }

                using var checkCancel = new CancellationTokenSource();
                var check = context.CreateTimer(Min(context.CurrentUtcDateTime + limits.CheckInterval, deadline), checkCancel.Token);
                var firstDone = await Task.WhenAny(cancelRequested is null ? [ended, check] : [ended, check, cancelRequested]);
                if (firstDone != check)
                {
                    // Cancel, not CancelAsync: the callbacks must run on the orchestrator's thread (see the capture loop's timers).
#pragma warning disable CA1849
                    checkCancel.Cancel();
#pragma warning restore CA1849
                }

                if (firstDone == cancelRequested)
                {
                    var reason = await cancelRequested;
                    await CancelAsync(request, reason);
                    throw new CancelRequestedException(reason);
                }

                if (firstDone == ended)
                {
                    result = await NextEndAsync(request);
                }
            }

            if (result is null)
            {
                continue;
            }

            if (result.Succeeded)
            {
                return result;
            }

            if (!result.Retryable || starts >= limits.Starts)
            {
                throw new MediaJobFailedException(operation, result.Error ?? "it failed without saying why");
            }

            report(new RecordingError("media-job-retried", $"The {Name(operation)} job failed ({result.Error}); it is tried again as a new job ({starts + 1} of {limits.Starts} starts).", Now));
            request = request with { JobId = $"{first.JobId}#{starts + 1}" };
        }
    }

    /// <summary>
    /// Cancels the job and waits a little for its worker to end it, so that what the orchestrator does next (release the folder)
    /// does not pull files from under a running ffmpeg. A job still in the queue, or whose worker died, is not waited for: a
    /// worker that takes it later finds the marker and ends it at once.
    /// </summary>
    private async Task CancelAsync(MediaJobRequest request, string reason)
    {
        await context.CallActivityAsync<bool>(nameof(CancelMediaJob), new CancelMediaJobInput(request, reason), StartRetry);
        using var waitCancel = new CancellationTokenSource();
        var wait = context.CreateTimer(context.CurrentUtcDateTime + (limits.CheckInterval < LongestCancelWait ? limits.CheckInterval : LongestCancelWait), waitCancel.Token);
        while (await Task.WhenAny(ended, wait) == ended)
        {
            if (await NextEndAsync(request) is { } end)
            {
#pragma warning disable CA1849
                waitCancel.Cancel();
#pragma warning restore CA1849
                report(new RecordingError("media-job-canceled", end.Succeeded
                    ? $"The {Name(request.Operation)} job was canceled ({reason}) as it finished; its outputs are not used."
                    : $"The {Name(request.Operation)} job was canceled ({reason}); its worker ended it: {end.Error}", Now));
                return;
            }
        }

        report(new RecordingError("media-job-canceled", $"The {Name(request.Operation)} job was canceled ({reason}); its worker has not answered yet, and ends it when it sees the cancel.", Now));
    }

    /// <summary>The end just heard if it is the current job's (a failed attempt's late reply is dropped); listens for the next one.</summary>
    private async Task<MediaJobResult?> NextEndAsync(MediaJobRequest request)
    {
        var heard = await ended;
        ended = context.WaitForExternalEvent<MediaJobResult>(MediaJobEvents.Name(request.Operation));
        return heard.JobId == request.JobId ? heard : null;
    }

    /// <summary>The operation as the API and the job ids write it ("ladder").</summary>
    public static string Name(MediaJobOperation operation) => operation.ToString().ToLowerInvariant();

    private DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
