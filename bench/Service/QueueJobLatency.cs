using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recording.Functions.Jobs;
using Recording.Media.Capture;
using Recording.TestSupport;

namespace Recording.Bench.Service;

/// <summary>
/// Start latency of the queue path: from QueueCaptureJobRunner.StartAsync to the first segment-ready event handed to the sink by
/// QueueCaptureEventListener (pull mode), with one worker `job` serving the start queue, a live RTMP source (nginx-rtmp +
/// ffmpeg testsrc2 320x240, 1 s GOP) and Azurite. Also the stop latency: StopAsync to the exited event.
/// </summary>
internal static class QueueJobLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = BenchArgs.Int(args, "--runs", 10);
        var segmentSeconds = BenchArgs.Int(args, "--segment", 2);

        await using var azurite = await AzuriteServer.StartAsync();
        await using var nginx = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(nginx.UrlFor("bench"));
        var options = Options.Create(new QueueCaptureJobOptions
        {
            ConnectionString = azurite.ConnectionString,
            MinPollingInterval = TimeSpan.FromMilliseconds(50),
            MaxPollingInterval = TimeSpan.FromMilliseconds(250),
        });
        var sink = new TimestampingSink();
        var runner = new QueueCaptureJobRunner(options, NullLogger<QueueCaptureJobRunner>.Instance);
        using var listener = new QueueCaptureEventListener(options, sink, new NoMediaJobs(), NullLogger<QueueCaptureEventListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        await runner.StartAsync(Request("bench-warmup", 0)); // creates the queues before the job polls them
        await using var job = ManagedProcess.Start(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Recording.Worker.dll"), "job", "--start-queue", options.Value.StartQueueName, "--visibility-timeout", "30s",
             "--stop-poll-interval", "0.25s", "--allow-private-networks", "--min-free-disk", "0"],
            environment: new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = azurite.ConnectionString });
        await MeasureAsync("bench-warmup", Stopwatch.GetTimestamp());

        var starts = new List<double>();
        var stops = new List<double>();
        for (var i = 1; i <= runs; i++)
        {
            var id = $"bench-{i:D3}";
            var startedAt = Stopwatch.GetTimestamp();
            await runner.StartAsync(Request(id, i));
            var (start, stop) = await MeasureAsync(id, startedAt);
            starts.Add(start);
            stops.Add(stop);
            Console.Error.WriteLine($"run {i}: start {start:0.00} s, stop {stop:0.00} s");
        }

        await listener.StopAsync(CancellationToken.None);
        Console.WriteLine($"Queue capture job latency on Azurite ({runs} recordings, {segmentSeconds} s segments, one long-lived `job` worker, {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| measure | p50 (s) | p99 (s) | min (s) | max (s) |");
        Console.WriteLine("|---|---|---|---|---|");
        Stats.Row("start request -> first segment-ready at the sink", starts);
        Stats.Row($"same, less the {segmentSeconds} s segment", starts.Select(s => s - segmentSeconds).ToList());
        Stats.Row("stop request -> exited at the sink", stops);
        return 0;

        async Task<(double Start, double Stop)> MeasureAsync(string id, long started)
        {
            var first = await sink.WaitAsync(id, e => e is SegmentReady, TimeSpan.FromSeconds(60), job);
            var start = Stopwatch.GetElapsedTime(started, first).TotalSeconds;
            var stopAt = Stopwatch.GetTimestamp();
            await runner.StopAsync(id);
            var exited = await sink.WaitAsync(id, e => e is CaptureExited, TimeSpan.FromSeconds(60), job);
            return (start, Stopwatch.GetElapsedTime(stopAt, exited).TotalSeconds);
        }

        CaptureJobRequest Request(string id, int index) => new()
        {
            RecordingId = id,
            SourceUrl = nginx.UrlFor("bench"),
            OutputDirectory = Path.Combine(Path.GetTempPath(), "service-bench-" + Environment.ProcessId, index.ToString("D3", CultureInfo.InvariantCulture)),
            SegmentLength = TimeSpan.FromSeconds(segmentSeconds),
            ResumeWindow = TimeSpan.FromSeconds(10),
            AllowPrivateNetworks = true,
        };

    }
}

/// <summary>Notes the monotonic time at which each event reached the sink.</summary>
internal sealed class TimestampingSink : ICaptureEventSink
{
    private readonly ConcurrentQueue<(CaptureEvent Event, long At)> received = new();

    public Task PublishAsync(CaptureEvent captureEvent, CancellationToken cancellationToken = default)
    {
        received.Enqueue((captureEvent, Stopwatch.GetTimestamp()));
        return Task.CompletedTask;
    }

    public async Task<long> WaitAsync(string recordingId, Func<CaptureEvent, bool> predicate, TimeSpan deadline, ManagedProcess job)
    {
        var found = await Eventually.WaitForAsync(
            () => Task.FromResult<object?>(received.FirstOrDefault(r => r.Event.RecordingId == recordingId && predicate(r.Event)) is { Event: not null } hit ? hit.At : null),
            deadline,
            $"an event of {recordingId}; job output:\n{job.Tail()}",
            TimeSpan.FromMilliseconds(10));
        return (long)found;
    }
}

/// <summary>This bench starts capture jobs only: a media job reply would be a mistake in the setup.</summary>
internal sealed class NoMediaJobs : IMediaJobEventSink
{
    public Task PublishAsync(string recordingId, Recording.Media.Jobs.MediaJobOperation operation, Recording.Media.Jobs.MediaJobResult result, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"The capture latency bench started no media job, yet a reply for {result.JobId} arrived.");
}
