using System.Diagnostics;
using System.Globalization;
using Recording.Media.Bench;
using Recording.Media.Compose;
using Recording.Media.Ffmpeg;
using Recording.Media.Packaging;
using Recording.Media.Splice;
using Recording.Media.Verification;

// Media operation speed on generated clips. Usage: dotnet run -c Release --project bench/Media [-- --seconds 60
// --ladder-seconds 12 --runs 15 --composite-seconds 15 --keep]. Progress goes to stderr, the markdown table to stdout.
var recordingSeconds = Argument("--seconds", 60);
var ladderSeconds = Argument("--ladder-seconds", 12);
var compositeSeconds = Argument("--composite-seconds", 15);
// Fifteen pairs: with five, the ladder's median moved 1.22-1.34 between runs of the same code on one machine, as much as
// the effect it measures; with nine it moved 1.29-1.37, and the composite's 0.91-1.00 while the same two commands by hand,
// in alternating rounds, took the same time (runs 20 and 29).
var runs = Argument("--runs", 15);
var folder = Directory.CreateTempSubdirectory("media-bench-").FullName;
var table = new BenchTable();
var clips = new BenchClips(folder);
var total = Stopwatch.StartNew();
try
{
    Console.Error.WriteLine($"generating clips in {folder} ...");
    await clips.GenerateAsync(recordingSeconds, ladderSeconds, compositeSeconds);
    var mb = clips.SegmentBytes() / 1e6;

    Console.Error.WriteLine("splice ...");
    var spliced = Path.Combine(folder, "spliced.mp4");
    SpliceResult? splice = null;
    var spliceSeconds = await TimeAsync(async () => splice = await new SegmentSplicer().SpliceAsync(new SpliceRequest(clips.Segments, spliced)));
    var decodeSeconds = await TimeAsync(() => new DecodeCheck().RunAsync(spliced));
    table.Add($"splice {splice!.SegmentCount} x 5 s segments, 720p30, {mb:0.0} MB", "x real time", BenchTable.Ratio(recordingSeconds / spliceSeconds), $"{mb / spliceSeconds:0.0} MB/s; {spliceSeconds:0.00} s incl. probe and verifying decode ({decodeSeconds:0.00} s of it); {splice.Output.Encoding.Reason}");
    table.Add("splice, copy step only", "x real time", BenchTable.Ratio(recordingSeconds / (spliceSeconds - decodeSeconds)), $"{mb / (spliceSeconds - decodeSeconds):0.0} MB/s");

    Console.Error.WriteLine("hls ...");
    HlsPackageResult? hls = null;
    var hlsSeconds = await TimeAsync(async () => hls = await new HlsPackager().PackageAsync(new HlsPackageRequest(clips.Recording, Path.Combine(folder, "hls"))));
    table.Add($"HLS VOD (TS, 6 s) of {recordingSeconds} s 720p30", "x real time", BenchTable.Ratio(recordingSeconds / hlsSeconds), $"{new FileInfo(clips.Recording).Length / 1e6 / hlsSeconds:0.0} MB/s; {hls!.Parsed.Segments.Count} segments; {hls.Playlist.Encoding.Reason}");

    // Each comparison runs in --runs pairs, the order alternating (see PairedTimings). A ladder run gives two times, the
    // encode's and the whole job's; the whole job's are paired the same way afterwards.
    var cpuLog = await EncoderCpuLog.CreateAsync(folder);
    var ladders = new LadderComparison(folder, cpuLog, runs);
    int[] rungs = [240, 480, 720];
    var ladder = await ladders.CompareAsync("ladder", clips.LadderSource, rungs, "veryfast");

    // The saving is the source's extra decodes and audio encodes, so the ratio is bounded by their share of the CPU:
    // measured again with x264 ultrafast, where the video encodes weigh less.
    var ultrafast = await ladders.CompareAsync("ladder, ultrafast", clips.LadderSource, rungs, "ultrafast");

    // One ffmpeg per rung one after the other, as a shell loop over the rungs runs them: each rung alone, encode times summed.
    var oneAfterAnother = 0.0;
    foreach (var rung in rungs)
    {
        oneAfterAnother += (await new LadderPackager().PackageAsync(new LadderRequest(clips.LadderSource, Path.Combine(folder, $"ladder-alone-{rung}")) { Rungs = [rung] })).EncodeDuration.TotalSeconds;
    }

    // The product's default ladder (240/480/720/1080) on a 1080p source: four rungs share one decode of a frame 2.25 times
    // as large as 720p's.
    var defaultLadder = await ladders.CompareAsync("default ladder, 1080p", clips.DefaultLadderSource, LadderRequest.DefaultRungs, "veryfast");

    var ladderName = $"ladder 240/480/720 of {ladderSeconds} s 720p30";
    ladder.AddRows(table, ladderName, ladderSeconds);
    table.Add($"{ladderName} encode: one process vs one per rung one after another", "speed ratio", BenchTable.Ratio(oneAfterAnother / ladder.Encodes.BestCandidate), $"{oneAfterAnother:0.0} s (one run); not the target's baseline, which runs the rungs side by side");
    table.Add($"{ladderName} encode with x264 ultrafast: one process vs one per rung", "speed ratio", BenchTable.Ratio(ultrafast.Encodes.MedianRatio), $"{ultrafast.Encodes.BestCandidate:0.0} s vs {ultrafast.Encodes.BestBaseline:0.0} s; {ultrafast.Encodes.Describe()}");
    table.Add($"{ladderName}, whole job (encode + verify + HLS per rung + master)", "x real time", BenchTable.Ratio(ladderSeconds / ladder.WholeJobs.BestCandidate), $"{ladder.WholeJobs.BestCandidate:0.0} s one process, {ladder.WholeJobs.BestBaseline:0.0} s per rung: ratio {BenchTable.Ratio(ladder.WholeJobs.MedianRatio)} ({ladder.WholeJobs.Describe()})");
    defaultLadder.AddRows(table, $"default ladder 240/480/720/1080 of {ladderSeconds} s 1080p30", ladderSeconds);

    Console.Error.WriteLine("composite ...");
    var request = new CompositeRequest(clips.Timeline, Path.Combine(folder, "composite-ours.mp4")) { Size = new CompositeSize(1280, 720) };
    var plan = await new TimelineCompositor().PlanAsync(request);
    var composites = await PairedTimings.MeasureAsync(
        "composite",
        runs,
        _ => TimeAsync(() => new FfmpegRunner().RunAsync(BareCompositeArguments(clips, compositeSeconds, Path.Combine(folder, "composite-bare.mp4")))),
        _ => TimeAsync(() => new FfmpegRunner().RunAsync(plan.Arguments)));

    Directory.Delete(plan.LabelFolder, recursive: true);
    var full = await TimeAsync(() => new TimelineCompositor().ComposeAsync(request with { OutputPath = Path.Combine(folder, "composite-full.mp4") }));
    table.Add($"composite 2x2 -> 1280x720p30, {compositeSeconds} s, {Environment.ProcessorCount} cores", "x real time", BenchTable.Ratio(compositeSeconds / composites.BestCandidate), $"{composites.BestCandidate:0.0} s, our generated graph, ffmpeg alone (x264 veryfast crf 23, best of {runs})");
    table.Add("composite, hand-written bare ffmpeg (fps, scale, pad, xstack, amix)", "x real time", BenchTable.Ratio(compositeSeconds / composites.BestBaseline), $"{composites.BestBaseline:0.0} s");
    table.Add("composite: ours vs bare", "speed ratio", BenchTable.Ratio(composites.MedianRatio), $"target >= 0.95; {composites.Describe()}");
    table.Add("composite, whole job (probe + ffmpeg + verifying decode)", "x real time", BenchTable.Ratio(compositeSeconds / full), $"{full:0.0} s");
}
finally
{
    if (!args.Contains("--keep"))
    {
        Directory.Delete(folder, recursive: true);
    }
}

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {FfmpegVersion()}; total bench time {total.Elapsed.TotalSeconds:0} s");
Console.WriteLine();
Console.WriteLine(table.Render());
return 0;

int Argument(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}

static async Task<double> TimeAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalSeconds;
}

// The same work written by hand as one would for four participants present throughout: normalise each to 30 fps and fit
// it to a 640x360 tile, stack them 2x2, sum the audio; the same encoder settings as the compositor's defaults.
static List<string> BareCompositeArguments(BenchClips clips, int seconds, string output)
{
    var arguments = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
    foreach (var file in clips.TrackFiles)
    {
        arguments.AddRange(["-i", Path.Combine(clips.Tracks, file)]);
    }

    var graph = string.Concat(Enumerable.Range(0, 4).Select(i => $"[{i}:v]fps=30,scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p[v{i}];"))
        + "[v0][v1][v2][v3]xstack=inputs=4:layout=0_0|640_0|0_360|640_360[vout];"
        + "[0:a][1:a][2:a][3:a]amix=inputs=4:duration=longest:normalize=0[aout]";
    arguments.AddRange([
        "-filter_complex", graph, "-map", "[vout]", "-map", "[aout]", "-t", seconds.ToString(CultureInfo.InvariantCulture),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-r", "30", "-g", "60",
        "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", output,
    ]);
    return arguments;
}

static string CpuModel()
    => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

static string FfmpegVersion()
{
    using var process = Process.Start(new ProcessStartInfo("ffmpeg", "-version") { RedirectStandardOutput = true })!;
    var first = process.StandardOutput.ReadLine() ?? "ffmpeg";
    process.WaitForExit();
    return string.Join(' ', first.Split(' ').Take(3));
}
