using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Recording.Media.Jobs;
using Recording.Media.Manifest;

namespace Recording.Functions.Jobs;

/// <summary>
/// Runs media jobs as child processes of <c>Recording.Worker media-job --request</c> on this machine, and raises each job's
/// result (through an <see cref="IMediaJobEventSink"/>) when its worker exits.
/// </summary>
/// <remarks>
/// The worker writes to <c>{output}.log</c>, never to a pipe, so that it outlives a killed service and finishes its job. Whether
/// a job runs is read from the machine, not from memory: its worker holds the job's flock while it runs and writes the result
/// before it lets go. So after a restart of the service the orchestrator's next check finds the result of a worker that finished
/// meanwhile, leaves a running one alone, and starts again one that died.
/// </remarks>
public sealed partial class LocalProcessMediaJobRunner(
    IMediaJobEventSink events,
    IOptions<LocalCaptureOptions> workerOptions,
    ILogger<LocalProcessMediaJobRunner> logger) : IMediaJobRunner, IAsyncDisposable
{
    /// <summary>The worker's exit code for a request it cannot read (see the worker's media-job command).</summary>
    private const int ExitBadRequest = 2;

    private static readonly JsonSerializerOptions RequestJson = new(ManifestJson.Options) { WriteIndented = false };

    private readonly ConcurrentDictionary<string, Task> followers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim starting = new(1, 1);
    private readonly CancellationTokenSource shutdown = new();

    public async Task<MediaJobStatus> EnsureAsync(MediaJobOrder order, CancellationToken cancellationToken = default)
    {
        var request = order.Request;
        if (await MediaJobResultFile.ReadAsync(request, cancellationToken) is { } result)
        {
            return MediaJobStatus.Finished(result);
        }

        await starting.WaitAsync(cancellationToken);
        try
        {
            if (followers.ContainsKey(request.JobId) || MediaJobLock.IsHeld(request))
            {
                return new MediaJobStatus(MediaJobState.Running);
            }

            // A worker writes its result before it lets go of the lock: read again, or one that just finished would run twice.
            if (await MediaJobResultFile.ReadAsync(request, cancellationToken) is { } finished)
            {
                return MediaJobStatus.Finished(finished);
            }

            if (!order.MayStart)
            {
                return new MediaJobStatus(MediaJobState.NotRunning);
            }

            var requestPath = Path.TrimEndingDirectorySeparator(request.OutputDirectory) + ".request.json";
            Directory.CreateDirectory(Path.GetDirectoryName(requestPath)!);
            await File.WriteAllTextAsync(requestPath, JsonSerializer.Serialize(request, RequestJson), cancellationToken);
            var worker = Launch(request, requestPath);
            var registered = new TaskCompletionSource();
            followers[request.JobId] = FollowAsync(order, worker, registered.Task);
            registered.SetResult();
            return new MediaJobStatus(MediaJobState.Started);
        }
        finally
        {
            starting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The workers keep running; a restarted service finds their results.
        await shutdown.CancelAsync();
        await Task.WhenAll(followers.Values);
        shutdown.Dispose();
        starting.Dispose();
    }

    private Process Launch(MediaJobRequest request, string requestPath)
    {
        var log = Path.TrimEndingDirectorySeparator(request.OutputDirectory) + ".log";
        var process = DetachedWorker.Start(workerOptions.Value, ["media-job", "--request", requestPath], Path.GetDirectoryName(requestPath)!, log, log);
        Started(logger, request.Operation, request.JobId, process.Id);
        return process;
    }

    private async Task FollowAsync(MediaJobOrder order, Process worker, Task registered)
    {
        var request = order.Request;
        try
        {
            // Its removal from the followers must come after its addition, even for a worker that exits at once.
            await registered;
            await worker.WaitForExitAsync(shutdown.Token);
            var result = await MediaJobResultFile.ReadAsync(request, shutdown.Token);
            if (result is null && worker.ExitCode == ExitBadRequest)
            {
                // The worker could not read the request, so it could not write a result: no run would do better.
                result = MediaJobResult.Failed(request.JobId, $"the media worker refused the job's request (exit {ExitBadRequest}); see {Path.GetFileName(request.OutputDirectory)}.log");
                await MediaJobResultFile.WriteAsync(request, result, shutdown.Token);
            }

            if (result is null)
            {
                // Killed, or it stepped aside for a worker that holds the lock: the orchestrator's next check sees to it.
                EndedWithoutResult(logger, request.JobId, worker.ExitCode);
                return;
            }

            Finished(logger, request.JobId, result.Succeeded, result.Elapsed);
            await events.PublishAsync(order.RecordingId, request.Operation, result, shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // The service is stopping; the orchestrator's next check (after the restart) reads the result.
        }
        catch (Exception ex)
        {
            // The orchestrator's check reads the result file too, so a lost event costs one check interval, not the job.
            RaiseFailed(logger, ex, request.JobId);
        }
        finally
        {
            worker.Dispose();
            followers.TryRemove(request.JobId, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started media worker for {Operation} job {JobId} (process {ProcessId})")]
    private static partial void Started(ILogger logger, MediaJobOperation operation, string jobId, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media job {JobId} finished (succeeded: {Succeeded}) in {Elapsed}")]
    private static partial void Finished(ILogger logger, string jobId, bool succeeded, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media worker of job {JobId} exited with {ExitCode} and no result")]
    private static partial void EndedWithoutResult(ILogger logger, string jobId, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of media job {JobId} could not be raised on its recording; the next check reads it")]
    private static partial void RaiseFailed(ILogger logger, Exception exception, string jobId);
}
