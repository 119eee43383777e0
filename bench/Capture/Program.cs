using System.Diagnostics;
using System.Globalization;
using Recording.Capture.Bench;
using Recording.Media.Capture;
using Recording.Media.Sources;
using Recording.TestSupport;

// CPU seconds per minute of recorded 720p 3 Mbps stream, for 1, 4 and 8 concurrent copy captures through our worker
// (its own process, ffmpeg and ffprobe children) and through bare ffmpeg with the same arguments, each recording its own
// copy of the same stream over the same window. A column compares the worker with the ffmpeg it runs itself, which
// leaves out the few per cent by which two ffmpegs recording two copies of one stream still differ.
// Usage: dotnet run -c Release --project bench/Capture [-- --seconds 60 --counts 1,4,8 --segment 60]
// The default segment is production's default (10 min), so the window measures recording itself; what closing a segment
// costs (an ffprobe and a SHA-256) is measured apart on a segment of that length, and the last column counts it in.
var seconds = 60;
var segmentSeconds = 600;
int[] counts = [1, 4, 8];
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--seconds")
    {
        seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--segment")
    {
        segmentSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--counts")
    {
        counts = [.. args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
    }
}

var warmup = TimeSpan.FromSeconds(15);
var segment = TimeSpan.FromSeconds(segmentSeconds);
var work = Directory.CreateTempSubdirectory("capture-bench-").FullName;
Console.Error.WriteLine($"Encoding the 720p clip in {work} ...");
var clip = await BenchStream.EncodeClipAsync(work);
await using var server = await NginxRtmpServer.StartAsync();
var workerDll = Path.Combine(AppContext.BaseDirectory, "Recording.Worker.dll");
var policy = new SourcePolicy(new SourcePolicyOptions { AllowPrivateNetworks = true });

var points = new List<(int Count, double Worker, double WorkerOwn, double Bare)>();
foreach (var count in counts)
{
    Console.Error.WriteLine($"{count} concurrent capture(s) each way, {seconds} s measured after {warmup.TotalSeconds} s warm-up ...");
    var workers = new List<ManagedProcess>();
    var bare = new List<ManagedProcess>();
    var publishers = new List<ManagedProcess>();
    var folders = new List<string>();
    try
    {
        for (var i = 0; i < count; i++)
        {
            // Every capture is the only subscriber of its own stream: nginx-rtmp serves a stream's second subscriber in
            // smaller pieces, and that ffmpeg then costs 10-15 % more than the first (measured with two bare ffmpegs).
            var workerUrl = server.UrlFor($"n{count}-worker-{i}");
            var bareUrl = server.UrlFor($"n{count}-bare-{i}");
            publishers.AddRange([BenchStream.Publish(clip, workerUrl), BenchStream.Publish(clip, bareUrl)]);
            var workerFolder = Path.Combine(work, $"n{count}-worker-{i}");
            var bareFolder = Path.Combine(work, $"n{count}-bare-{i}");
            Directory.CreateDirectory(bareFolder);
            folders.AddRange([workerFolder, bareFolder]);
            workers.Add(ManagedProcess.Start("dotnet", [
                workerDll, "capture", "--source", workerUrl, "--output", workerFolder, "--segment", $"{segmentSeconds}s", "--allow-short-segments",
                "--allow-private-networks", "--min-free-disk", "0", "--id", $"bench-{count}-{i}",
            ]));
            // The very arguments the worker gives ffmpeg for its first run.
            var options = new CaptureOptions { RecordingId = "bare", OutputDirectory = bareFolder, SegmentLength = segment, AllowShortSegments = true, MinFreeDiskBytes = 0 };
            bare.Add(ManagedProcess.Start("ffmpeg", CaptureArguments.Build(await policy.ValidateAsync(bareUrl), options, 0, 0)));
        }

        await Eventually.UntilAsync(
            () => folders.All(f => File.Exists(Path.Combine(f, "segment_00000.mp4"))) || workers.Concat(bare).Any(p => p.HasExited),
            TimeSpan.FromSeconds(120),
            "every capture to open its first segment");
        if (workers.Concat(bare).FirstOrDefault(p => p.HasExited) is { } early)
        {
            throw new InvalidOperationException($"a capture exited early: {early.Tail()}");
        }

        // Past startup (the .NET runtime's JIT, ffmpeg's probing): what is measured is the steady state of recording.
        await Task.Delay(warmup);
        var roots = workers.Concat(bare).Select(p => p.Id).ToList();
        var before = ProcessTreeCpu.Read(roots);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = ProcessTreeCpu.Read(roots);
        var minutes = clock.Elapsed.TotalMinutes;
        var used = after.Zip(before, (a, b) => (Tree: a.Tree - b.Tree, Root: a.Root - b.Root)).ToList();
        var workerCpu = used.Take(count).Sum(u => u.Tree) / count / minutes;
        // The worker process itself and the children it reaped in the window; the rest of its tree is the ffmpeg it runs.
        var workerOwnCpu = used.Take(count).Sum(u => u.Root) / count / minutes;
        var bareCpu = used.Skip(count).Sum(u => u.Tree) / count / minutes;
        points.Add((count, workerCpu, workerOwnCpu, bareCpu));
    }
    finally
    {
        foreach (var process in workers.Concat(bare).Where(p => !p.HasExited))
        {
            // SIGTERM, as a container stop sends: a bench started in the background of a script inherits SIGINT ignored.
            process.Signal(Posix.SigTerm);
        }

        foreach (var process in workers.Concat(bare))
        {
            await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            await process.DisposeAsync();
        }

        foreach (var publisher in publishers)
        {
            await publisher.DisposeAsync();
        }
    }
}

// Closing a segment: inspect one of the segment length the way the worker does, and take our own CPU plus that of the
// ffprobe children. The hash reads every byte, so the sample must be as long as a real segment: the clip, looped.
var finished = await BenchStream.SegmentOfAsync(clip, segment, Path.Combine(work, "closing-sample"));
var inspector = new SegmentInspector(new Recording.Media.Probing.MediaProbe());
await inspector.InspectAsync(Path.GetDirectoryName(finished)!, Path.GetFileName(finished), null);
const int closes = 5;
var selfBefore = SelfCpu();
for (var i = 0; i < closes; i++)
{
    await inspector.InspectAsync(Path.GetDirectoryName(finished)!, Path.GetFileName(finished), null);
}

var perClose = (SelfCpu() - selfBefore) / closes;
var megabytes = new FileInfo(finished).Length / 1e6;

var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
Console.WriteLine($"Capture CPU, 720p30 3 Mbps RTMP from nginx-rtmp, -c copy into {segmentSeconds} s fMP4 segments, {seconds} s measured per point after {warmup.TotalSeconds:0} s of warm-up");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {cpu}");
Console.WriteLine();
Console.WriteLine("| concurrent captures | worker CPU s per stream-minute | of which the .NET process | bare ffmpeg CPU s per stream-minute | worker CPU s per minute, all streams | worker / bare | worker / its own ffmpeg | worker / bare with segment closing |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (count, worker, own, bare) in points)
{
    // Segments close once per segment length: their probe and hash spread over the minutes they hold.
    var withClosing = (worker + (perClose / segment.TotalMinutes)) / bare;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {count} | {worker:0.000} | {own:0.000} | {bare:0.000} | {worker * count:0.00} | {worker / bare:0.000} | {worker / (worker - own):0.000} | {withClosing:0.000} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Closing a {segment.TotalMinutes:0.#} min segment ({megabytes:0.#} MB; ffprobe + SHA-256, measured in-process x{closes}): {perClose:0.000} CPU s, i.e. +{perClose / segment.TotalMinutes:0.0000} s per stream-minute."));

Directory.Delete(work, recursive: true);

// This process's CPU plus that of the children it has reaped (the ffprobes), from /proc/self/stat.
static double SelfCpu() => ProcessTreeCpu.ReadSelf();
