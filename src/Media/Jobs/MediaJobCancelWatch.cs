namespace Recording.Media.Jobs;

/// <summary>
/// Looks for a job's cancel marker (<see cref="MediaJobCancellation"/>) while the job runs, and cancels <see cref="Token"/>
/// (which also follows the caller's own token) once the marker names the job; <see cref="Reason"/> then says why.
/// </summary>
/// <remarks>
/// Polling, not a file watcher: inotify sees nothing that another machine writes on an SMB share (Azure Files), which is where
/// the marker comes from in Azure. One small read a second costs nothing beside an encode.
/// </remarks>
public sealed class MediaJobCancelWatch : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource canceled;
    private readonly CancellationTokenSource ended = new();
    private readonly Task watching;

    private MediaJobCancelWatch(MediaJobRequest request, TimeSpan interval, CancellationToken callerToken)
    {
        canceled = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        watching = WatchAsync(request, interval);
    }

    /// <summary>Cancelled when the marker names the job, or when the caller's token is.</summary>
    public CancellationToken Token => canceled.Token;

    /// <summary>Why the job was canceled; null unless the marker was seen.</summary>
    public string? Reason { get; private set; }

    public static MediaJobCancelWatch Start(MediaJobRequest request, CancellationToken callerToken, TimeSpan? interval = null)
        => new(request, interval ?? DefaultInterval, callerToken);

    public async ValueTask DisposeAsync()
    {
        await ended.CancelAsync();
        await watching;
        ended.Dispose();
        canceled.Dispose();
    }

    private async Task WatchAsync(MediaJobRequest request, TimeSpan interval)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(ended.Token))
            {
                if (await ReadReasonAsync(request) is { } reason)
                {
                    Reason = reason;
                    await canceled.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The job ended first.
        }
    }

    private async Task<string?> ReadReasonAsync(MediaJobRequest request)
    {
        try
        {
            return await MediaJobCancellation.ReasonAsync(request, ended.Token);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException)
        {
            // A share that hiccups is read again at the next tick; a marker that does not parse (one written by hand) or a
            // path the request's validation will refuse is not a cancel: none of them fails the job here.
            return null;
        }
    }
}
