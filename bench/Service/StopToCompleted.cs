using System.Diagnostics;
using System.Globalization;
using Recording.TestSupport;

namespace Recording.Bench.Service;

/// <summary>
/// Time from the stop request to <c>recording.completed</c> at the webhook, for recordings of several lengths recorded at the
/// same time (starts staggered), through the real service on embedded defaults: 1-minute segments (the production minimum),
/// splice and HLS VOD by stream copy, local-folder destination. Because every closed segment is uploaded while recording,
/// the stop only waits for the open segment, the splice and the packaging.
/// </summary>
internal static class StopToCompleted
{
    private static readonly TimeSpan Stagger = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var lengths = BenchArgs.Ints(args, "--lengths", 1, 5, 15);
        var perLength = BenchArgs.Int(args, "--per-length", 3);

        await using var nginx = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(nginx.UrlFor("bench"), new SyntheticSourceOptions { Width = 640, Height = 360, VideoBitrate = "800k" });
        await using var webhooks = await WebhookLog.StartAsync();
        await using var service = await ServiceUnderBench.StartAsync();

        var plans = Enumerable.Range(0, perLength).SelectMany(run => lengths.Select(minutes => (Minutes: minutes, Run: run))).ToList();
        var results = await Task.WhenAll(plans.Select((plan, order) => RecordAsync(plan.Minutes, plan.Run, order)));

        Console.WriteLine($"Stop request -> recording.completed (webhook), {perLength} recordings per length recorded concurrently, 1 min fMP4 segments, splice + HLS VOD by copy, local-folder destination, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| recording length | p50 (s) | p99 (s) | min (s) | max (s) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => r.Minutes).OrderBy(g => g.Key))
        {
            Stats.Row($"{group.Key} min", group.Select(r => r.Seconds).ToList());
        }

        return 0;

        async Task<(int Minutes, double Seconds)> RecordAsync(int minutes, int run, int order)
        {
            await Task.Delay(Stagger * order);
            var id = string.Create(CultureInfo.InvariantCulture, $"stop-{minutes}m-{run}");
            await service.StartAsync(BenchRecording.Start(id, nginx.UrlFor("bench"), webhooks.Url, "00:01:00", splice: true, hls: true));
            await webhooks.WaitAsync(id, TimeSpan.FromMinutes(1), "recording.started");
            await Task.Delay(TimeSpan.FromMinutes(minutes));
            var stoppedAt = Stopwatch.GetTimestamp();
            await service.StopAsync(id);
            var (at, type) = await webhooks.WaitAsync(id, TimeSpan.FromMinutes(10), "recording.completed", "recording.failed");
            if (type != "recording.completed")
            {
                throw new InvalidOperationException($"{id} ended with {type}: {await service.StatusAsync(id)}");
            }

            var seconds = Stopwatch.GetElapsedTime(stoppedAt, at).TotalSeconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}: completed {seconds:0.00} s after the stop"));
            return (minutes, seconds);
        }
    }
}
