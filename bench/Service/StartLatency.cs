using System.Diagnostics;
using System.Globalization;
using Recording.TestSupport;

namespace Recording.Bench.Service;

/// <summary>
/// Start latency over HTTP through the real service (embedded defaults, local capture worker): POST /api/recordings -> 202,
/// -> <c>recording.started</c> (the capture job runs), and -> the first <c>recording.segment.ready</c> less the segment length
/// (when the first media is in the destination, as a user sees it). Recordings run one after another.
/// </summary>
internal static class StartLatency
{
    private const int SegmentSeconds = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = BenchArgs.Int(args, "--runs", 20);
        await using var nginx = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(nginx.UrlFor("bench"));
        await using var webhooks = await WebhookLog.StartAsync();
        await using var service = await ServiceUnderBench.StartAsync();

        var accepted = new List<double>();
        var started = new List<double>();
        var firstMedia = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"start-{run:D3}");
            var begin = Stopwatch.GetTimestamp();
            await service.StartAsync(BenchRecording.Start(id, nginx.UrlFor("bench"), webhooks.Url, $"00:00:0{SegmentSeconds}"));
            var answered = Stopwatch.GetElapsedTime(begin).TotalSeconds;
            var (startedAt, _) = await webhooks.WaitAsync(id, TimeSpan.FromMinutes(1), "recording.started");
            var (segmentAt, _) = await webhooks.WaitAsync(id, TimeSpan.FromMinutes(1), "recording.segment.ready");
            await service.StopAsync(id);
            await webhooks.WaitAsync(id, TimeSpan.FromMinutes(2), "recording.completed", "recording.failed");
            if (run == 0)
            {
                continue; // warm-up: the first start pays for JIT and the first worker's start-up from a cold disk cache
            }

            accepted.Add(answered * 1000);
            started.Add(Stopwatch.GetElapsedTime(begin, startedAt).TotalMilliseconds);
            firstMedia.Add(Stopwatch.GetElapsedTime(begin, segmentAt).TotalMilliseconds - (SegmentSeconds * 1000));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}: 202 {accepted[^1]:0} ms, started {started[^1]:0} ms, first segment less its length {firstMedia[^1]:0} ms"));
        }

        Console.WriteLine($"Start latency over HTTP ({runs} recordings one after another, after one warm-up; local capture worker; {SegmentSeconds} s segments; {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| measure | p50 (ms) | p99 (ms) | min (ms) | max (ms) |");
        Console.WriteLine("|---|---|---|---|---|");
        Stats.Row("POST /api/recordings -> 202 Accepted", accepted);
        Stats.Row("POST -> recording.started (capture job running)", started);
        Stats.Row($"POST -> first segment.ready, less the {SegmentSeconds} s segment", firstMedia);
        return 0;
    }
}
