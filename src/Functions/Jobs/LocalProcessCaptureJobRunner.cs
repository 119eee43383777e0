using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Recording.Media.Capture;
using Recording.Media.Manifest;

namespace Recording.Functions.Jobs;

/// <summary>
/// Runs capture jobs as child processes of <c>Recording.Worker capture</c> on this machine and follows their events.
/// </summary>
/// <remarks>
/// The worker's stdout (one JSON line per event, nothing else) is appended by the shell to <c>events.jsonl</c> in the recording's
/// folder, never to a pipe: the worker outlives a killed service and keeps writing. The runner publishes each complete line
/// to the sink and records the byte offset it has published in <c>job.json</c>. When the service starts again it reads every
/// unfinished <c>job.json</c>: a worker still running is re-attached (events resume at the saved offset, so at most the line
/// in flight is published twice, which the orchestrator tolerates); a worker that died without an <c>exited</c> line is started
/// again on the same folder, where it recovers the manifest and continues the segment numbering. A worker that dies after a
/// stop request, or too often, is reported as exited.
/// </remarks>
public sealed class LocalProcessCaptureJobRunner(
    ICaptureEventSink captureEvents,
    RecordingWorkspace workspace,
    IOptions<LocalCaptureOptions> captureOptions,
    ILogger<LocalProcessCaptureJobRunner> runnerLogger) : ICaptureJobRunner, IHostedService, IAsyncDisposable
{
    private readonly ICaptureEventSink sink = captureEvents;
    private readonly IOptions<LocalCaptureOptions> options = captureOptions;
    private readonly ILogger logger = runnerLogger;
    private static readonly JsonSerializerOptions JobJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly ConcurrentDictionary<string, Follower> followers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource shutdown = new();

    public async Task<CaptureJobHandle> StartAsync(CaptureJobRequest request, CancellationToken cancellationToken = default)
    {
        if (followers.TryGetValue(request.RecordingId, out var running))
        {
            return new CaptureJobHandle(request.RecordingId, running.Job.ProcessId.ToString(CultureInfo.InvariantCulture), Reattached: true);
        }

        var folder = JobFolder(request);
        Directory.CreateDirectory(request.OutputDirectory);
        var existing = await ReadJobAsync(folder, cancellationToken);
        if (existing is not null)
        {
            // The activity ran again (at least once delivery) or the service restarted before recovery saw this job.
            if (existing.Finished)
            {
                return new CaptureJobHandle(request.RecordingId, existing.ProcessId.ToString(CultureInfo.InvariantCulture), Reattached: true);
            }

            var follower = Follow(folder, existing);
            return new CaptureJobHandle(request.RecordingId, follower.Job.ProcessId.ToString(CultureInfo.InvariantCulture), Reattached: true);
        }

        var job = new LocalCaptureJob { Request = request };
        job.ProcessId = Launch(folder, job);
        await WriteJobAsync(folder, job, cancellationToken);
        var started = Follow(folder, job);
        return new CaptureJobHandle(request.RecordingId, started.Job.ProcessId.ToString(CultureInfo.InvariantCulture), Reattached: false);
    }

    public async Task StopAsync(string recordingId, CancellationToken cancellationToken = default)
    {
        var folder = workspace.WorkFolder(recordingId);
        if (!followers.TryGetValue(recordingId, out var follower))
        {
            var job = await ReadJobAsync(folder, cancellationToken);
            if (job is null || job.Finished)
            {
                return; // never started, or already over: stopping is done
            }

            follower = Follow(folder, job);
        }

        await follower.RequestStopAsync(cancellationToken);
    }

    /// <summary>Re-attaches to (or restarts) every unfinished job left by an earlier run of the service.</summary>
    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(workspace.Root))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(workspace.Root))
        {
            var job = await ReadJobAsync(folder, cancellationToken);
            if (job is { Finished: false })
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Recovering capture job of recording {RecordingId} (process {ProcessId}).", job.Request.RecordingId, job.ProcessId);
                }

                Follow(folder, job);
            }
        }
    }

    /// <summary>Stops following; the workers keep running so that a restarted service can re-attach to them.</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await shutdown.CancelAsync();
        await Task.WhenAll(followers.Values.Select(f => f.Completion));
    }

    public async ValueTask DisposeAsync()
    {
        if (!shutdown.IsCancellationRequested)
        {
            await shutdown.CancelAsync();
        }

        await Task.WhenAll(followers.Values.Select(f => f.Completion));
        foreach (var follower in followers.Values)
        {
            follower.Dispose();
        }

        shutdown.Dispose();
    }

    private static string JobFolder(CaptureJobRequest request) => Path.GetDirectoryName(Path.GetFullPath(request.OutputDirectory))!;

    private Follower Follow(string folder, LocalCaptureJob job)
    {
        var follower = new Follower(this, folder, job);
        if (!followers.TryAdd(job.Request.RecordingId, follower))
        {
            return followers[job.Request.RecordingId];
        }

        follower.Start();
        return follower;
    }

    /// <summary>Starts <c>Recording.Worker capture ...</c>, its events (stdout) and log (stderr) appended to files in the folder.</summary>
    private int Launch(string folder, LocalCaptureJob job)
    {
        var request = job.Request;
        using var process = DetachedWorker.Start(
            options.Value, WorkerArguments(request), folder, Path.Combine(folder, LocalCaptureJob.EventsFileName), Path.Combine(folder, LocalCaptureJob.LogFileName));
        var pid = process.Id;
        job.LaunchedAt = Stopwatch.GetTimestamp();
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Started capture worker {ProcessId} for recording {RecordingId}.", pid, request.RecordingId);
        }

        return pid;
    }

    internal static IReadOnlyList<string> WorkerArguments(CaptureJobRequest request)
    {
        var arguments = new List<string>
        {
            "capture",
            "--source", request.SourceUrl,
            "--output", request.OutputDirectory,
            "--id", request.RecordingId,
            "--format", request.Format,
            "--segment", Seconds(request.SegmentLength),
            "--resume-window", Seconds(request.ResumeWindow),
        };
        if (request.MaxDuration is { } max)
        {
            arguments.AddRange(["--max-duration", Seconds(max)]);
        }

        if (request.SegmentLength < TimeSpan.FromMinutes(1))
        {
            arguments.Add("--allow-short-segments");
        }

        if (request.AllowPrivateNetworks)
        {
            arguments.Add("--allow-private-networks");
        }

        return arguments;
    }

    private static string Seconds(TimeSpan value) => ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    private static async Task<LocalCaptureJob?> ReadJobAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, LocalCaptureJob.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<LocalCaptureJob>(stream, JobJson, cancellationToken);
    }

    /// <summary>Writes job.json through a temporary file and a rename, so a crash never leaves half a file.</summary>
    private static async Task WriteJobAsync(string folder, LocalCaptureJob job, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, LocalCaptureJob.FileName);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(job, JobJson), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Whether the job's process is still its worker (and not a zombie or a reused id). An empty command line counts only just
    /// after the launch (<see cref="LocalCaptureJob.JustLaunched"/>): read as "not running", it had the worker started a second
    /// time on the same folder, two captures writing one manifest.
    /// </summary>
    private static bool IsRunning(LocalCaptureJob job)
    {
        var pid = job.ProcessId;
        try
        {
            if (File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
            {
                return false;
            }

            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains(job.Request.OutputDirectory, StringComparison.Ordinal) || (cmdline.Length == 0 && job.JustLaunched);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        // .NET can only kill another process; kill(1) sends the signal that makes the worker finalise its open segment.
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(signal);
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(start)!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Follows one job: publishes new event lines, notices a dead worker, restarts it or reports its end.</summary>
    private sealed class Follower(LocalProcessCaptureJobRunner runner, string folder, LocalCaptureJob job) : IDisposable
    {
        private readonly SemaphoreSlim gate = new(1, 1);

        public void Dispose() => gate.Dispose();

        public LocalCaptureJob Job => job;

        public Task Completion { get; private set; } = Task.CompletedTask;

        private string EventsPath => Path.Combine(folder, LocalCaptureJob.EventsFileName);

        public void Start() => Completion = Task.Run(() => RunAsync(runner.shutdown.Token));

        public async Task RequestStopAsync(CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                job.StopRequested = true;
                await WriteJobAsync(folder, job, cancellationToken);
                if (!job.Finished && IsRunning(job))
                {
                    // TERM, not INT: a service started in the background by a shell inherits an ignored SIGINT, and so does its worker.
                    await SignalAsync(job.ProcessId, "TERM");
                }
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (await PublishNewLinesAsync(cancellationToken))
                    {
                        break;
                    }

                    if (!IsRunning(job) && !await PublishNewLinesAsync(cancellationToken))
                    {
                        if (await HandleDeadWorkerAsync(cancellationToken))
                        {
                            break;
                        }
                    }

                    await Task.Delay(runner.options.Value.FollowInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Service shutdown: the worker goes on; the next start re-attaches.
            }
            catch (Exception ex)
            {
                runner.logger.LogError(ex, "Following the capture job of recording {RecordingId} failed; it resumes when the service restarts.", job.Request.RecordingId);
            }
            finally
            {
                runner.followers.TryRemove(new KeyValuePair<string, Follower>(job.Request.RecordingId, this));
            }
        }

        /// <summary>Publishes every complete line after the saved offset; true when the exited event was among them.</summary>
        private async Task<bool> PublishNewLinesAsync(CancellationToken cancellationToken)
        {
            if (!File.Exists(EventsPath))
            {
                return false;
            }

            byte[] fresh;
            await using (var stream = new FileStream(EventsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                if (stream.Length <= job.EventsOffset)
                {
                    return false;
                }

                stream.Seek(job.EventsOffset, SeekOrigin.Begin);
                fresh = new byte[stream.Length - job.EventsOffset];
                await stream.ReadExactlyAsync(fresh, cancellationToken);
            }

            var consumed = 0;
            while (Array.IndexOf(fresh, (byte)'\n', consumed) is var newline and >= 0)
            {
                var line = Encoding.UTF8.GetString(fresh, consumed, newline - consumed).Trim();
                var lineBytes = newline + 1 - consumed;
                consumed = newline + 1;
                var exited = false;
                if (line.Length > 0)
                {
                    var captureEvent = JsonSerializer.Deserialize<CaptureEvent>(line, ManifestJson.Options)
                        ?? throw new InvalidDataException("An empty event line.");
                    await runner.sink.PublishAsync(captureEvent, cancellationToken);
                    exited = captureEvent is CaptureExited;
                }

                await gate.WaitAsync(cancellationToken);
                try
                {
                    job.EventsOffset += lineBytes;
                    job.Finished = exited;
                    await WriteJobAsync(folder, job, cancellationToken);
                }
                finally
                {
                    gate.Release();
                }

                if (exited)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The worker is gone without an exited line: start it again on the same folder, or report the end. True when finished.</summary>
        private async Task<bool> HandleDeadWorkerAsync(CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (!job.StopRequested && job.Restarts < runner.options.Value.MaxRestarts)
                {
                    job.Restarts++;
                    runner.logger.LogWarning("The capture worker of recording {RecordingId} ended without reporting; starting it again on the same folder (restart {Restart}).", job.Request.RecordingId, job.Restarts);
                    job.ProcessId = runner.Launch(folder, job);
                    await WriteJobAsync(folder, job, cancellationToken);
                    return false;
                }

                var reason = job.StopRequested ? CaptureExitReason.Stopped : CaptureExitReason.Failed;
                await runner.sink.PublishAsync(
                    new CaptureExited
                    {
                        RecordingId = job.Request.RecordingId,
                        At = DateTimeOffset.UtcNow,
                        Reason = reason,
                        Segments = 0,
                        TotalDurationSeconds = 0,
                        TotalBytes = 0,
                        Detail = $"The worker ended without reporting its end; see {LocalCaptureJob.LogFileName} in the recording's folder.",
                    },
                    cancellationToken);
                job.Finished = true;
                await WriteJobAsync(folder, job, cancellationToken);
                return true;
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
