using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Recording.TestSupport;

namespace Recording.Bench.Service;

/// <summary>
/// How many concurrent copy recordings the machine holds: for each step, N recordings of one live RTMP source (nginx-rtmp fans
/// it out) through the real service, each with its own capture worker, for a fixed time; then every uploaded segment is
/// probed. Frame loss = 1 - video packets / (probed duration x frame rate): a frame dropped anywhere on the way leaves a
/// timestamp gap, so it counts. Coverage = recorded media time / wall-clock span of the segments (gaps between segments).
/// </summary>
internal static class CopyCapacity
{
    private const int FrameRate = 25;

    public static async Task<int> RunAsync(string[] args)
    {
        var steps = BenchArgs.Ints(args, "--steps", 4, 8, 16, 24, 32);
        var seconds = BenchArgs.Int(args, "--seconds", 60);
        await using var nginx = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(nginx.UrlFor("bench"), new SyntheticSourceOptions { Width = 640, Height = 360, VideoBitrate = "800k", FrameRate = FrameRate });
        await using var webhooks = await WebhookLog.StartAsync();
        await using var service = await ServiceUnderBench.StartAsync();

        var rows = new List<string>();
        foreach (var count in steps)
        {
            var ids = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"cap-{count:D2}-{i:D2}")).ToList();
            await Task.WhenAll(ids.Select(id => service.StartAsync(BenchRecording.Start(id, nginx.UrlFor("bench"), webhooks.Url, "00:00:10"))));
            await Task.WhenAll(ids.Select(id => webhooks.WaitAsync(id, TimeSpan.FromMinutes(2), "recording.started")));
            var cpu = CpuMeter.Start();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var busy = cpu.BusyFraction();
            await Task.WhenAll(ids.Select(service.StopAsync));
            var ended = await Task.WhenAll(ids.Select(id => webhooks.WaitAsync(id, TimeSpan.FromMinutes(5), "recording.completed", "recording.failed")));
            var failed = ended.Count(e => e.Type != "recording.completed");

            long frames = 0;
            double media = 0, span = 0;
            foreach (var id in ids)
            {
                var status = await service.StatusAsync(id);
                var segments = status.GetProperty("segments").EnumerateArray().ToList();
                if (segments.Count == 0)
                {
                    continue;
                }

                span += (segments[^1].GetProperty("endedAt").GetDateTimeOffset() - segments[0].GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
                foreach (var segment in segments)
                {
                    var (packets, duration) = await CountVideoAsync(Path.Combine(service.AssetsFolder, segment.GetProperty("key").GetString()!));
                    frames += packets;
                    media += duration;
                }
            }

            var loss = 1 - (frames / (media * FrameRate));
            var row = string.Create(CultureInfo.InvariantCulture, $"| {count} | {failed} | {loss * 100:0.000} | {media / span * 100:0.0} | {busy * 100:0} |");
            Console.Error.WriteLine(row);
            rows.Add(row);
        }

        Console.WriteLine($"Concurrent copy recordings through the service (one 640x360 25 fps RTMP source fanned out by nginx-rtmp, {seconds} s each, 10 s fMP4 segments, local-folder destination, {Environment.ProcessorCount} cores; the source's x264 encoder runs on the same cores)");
        Console.WriteLine();
        Console.WriteLine("| recordings | failed | frame loss (%) | media / wall-clock span (%) | CPU busy while recording (%) |");
        Console.WriteLine("|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>Video packets read and the container duration, by ffprobe.</summary>
    private static async Task<(long Packets, double Duration)> CountVideoAsync(string path)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets:format=duration", "-of", "json", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var probe = Process.Start(start)!;
        using var json = await JsonDocument.ParseAsync(probe.StandardOutput.BaseStream);
        await probe.WaitForExitAsync();
        var packets = long.Parse(json.RootElement.GetProperty("streams")[0].GetProperty("nb_read_packets").GetString()!, CultureInfo.InvariantCulture);
        var duration = double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        return (packets, duration);
    }
}
