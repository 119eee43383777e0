using System.Collections.Concurrent;
using Recording.Media.Capture;
using Recording.Media.Sources;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>A capture session running in the background of a test, with the events it emitted so far.</summary>
public sealed class RunningCapture : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly CaptureSession session;

    private RunningCapture(CaptureSession session, CaptureOptions options)
    {
        this.session = session;
        Options = options;
        Completion = Task.Run(() => session.RunAsync(Events.Enqueue, stop.Token));
    }

    public CaptureOptions Options { get; }

    public ConcurrentQueue<CaptureEvent> Events { get; } = new();

    public Task<CaptureResult> Completion { get; }

    public int Ready => Events.OfType<SegmentReady>().Count();

    public static async Task<RunningCapture> StartAsync(string url, CaptureOptions options)
    {
        var source = await new SourcePolicy(new SourcePolicyOptions { AllowPrivateNetworks = true }).ValidateAsync(url);
        return new RunningCapture(new CaptureSession(source, options), options);
    }

    public static CaptureOptions DefaultOptions(string name, TimeSpan segment) => new()
    {
        RecordingId = name,
        OutputDirectory = Directory.CreateTempSubdirectory($"capture-{name}-").FullName,
        SegmentLength = segment,
        AllowShortSegments = true,
        MinFreeDiskBytes = 0,
    };

    public Task WaitForSegmentsAsync(int count, TimeSpan deadline)
        => Eventually.UntilAsync(() => Ready >= count || Completion.IsCompleted, deadline, $"{count} segments of {Options.RecordingId}");

    /// <summary>Graceful stop, as SIGINT would do, and the final result.</summary>
    public async Task<CaptureResult> StopAsync(TimeSpan deadline)
    {
        await stop.CancelAsync();
        return await Completion.WaitAsync(deadline);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }

        session.Dispose();
        stop.Dispose();
    }
}
