using System.Globalization;
using Recording.Media.Clip;
using Recording.Media.Ffmpeg;
using Recording.Media.Splice;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.Media.Verification;

namespace Recording.Media.Tests.Splice;

/// <summary>
/// A splice or clip probes every segment of the manifest, but never more than <see cref="FfprobeReader.MaxConcurrentProbes"/>
/// ffprobes at once: a long recording in short segments must not start one process per segment. The ffprobe here is the
/// real one behind a wrapper that records how many of its kind are running each time one starts.
/// </summary>
public sealed class SegmentProbeFanOutTests
{
    // More segments than the bound, so that probing them all at once would exceed it.
    private static readonly int SegmentCount = FfprobeReader.MaxConcurrentProbes + 6;

    [Fact]
    public async Task Splice_OfMoreSegmentsThanTheBound_ProbesThemAllButNeverMoreAtOnce()
    {
        var (folder, counting) = await SegmentsWithCountingFfprobeAsync();
        var output = Path.Combine(folder, "spliced.mp4");

        var result = await new SegmentSplicer(counting.Options).SpliceAsync(new SpliceRequest(Path.Combine(folder, "manifest.json"), output));

        Assert.InRange(result.Output.Duration.TotalSeconds, SegmentCount - 0.2, SegmentCount + 0.2);
        Assert.True((await new DecodeCheck().RunAsync(output)).IsClean);
        AssertBounded(counting);
    }

    [Fact]
    public async Task Clip_OfMoreSegmentsThanTheBound_ProbesThemAllButNeverMoreAtOnce()
    {
        var (folder, counting) = await SegmentsWithCountingFfprobeAsync();
        var output = Path.Combine(folder, "clip.mp4");

        var result = await new KeyframeClipper(counting.Options).ClipAsync(new ClipRequest(Path.Combine(folder, "manifest.json"), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(SegmentCount - 2), output));

        // From the keyframe at or before 3 s (one a second), to the end asked for.
        Assert.InRange(result.ActualFrom.TotalSeconds, 3 - 1.1, 3);
        Assert.InRange(result.Output.Duration.TotalSeconds, SegmentCount - 2 - result.ActualFrom.TotalSeconds - 0.2, SegmentCount - 2 - result.ActualFrom.TotalSeconds + 0.2);
        AssertBounded(counting);
    }

    private static void AssertBounded(CountingFfprobe counting)
    {
        var running = counting.RunningAtEachStart();
        Assert.True(running.Count >= SegmentCount, $"expected at least {SegmentCount} ffprobe runs through the wrapper, saw {running.Count}");
        Assert.True(running.Max() <= FfprobeReader.MaxConcurrentProbes, $"up to {running.Max()} ffprobes ran at once; the bound is {FfprobeReader.MaxConcurrentProbes}");
    }

    /// <summary>One-second segments with a keyframe at each start, their manifest, and a counting ffprobe beside them.</summary>
    private static async Task<(string Folder, CountingFfprobe Counting)> SegmentsWithCountingFfprobeAsync()
    {
        var folder = TestMedia.NewFolder("probe-fan-out-");
        var whole = Path.Combine(folder, "whole.mp4");
        await TestMedia.ClipAsync(whole, SegmentCount, keyframeSeconds: 1);
        await TestMedia.FfmpegAsync(
            "-i", whole, "-c", "copy", "-f", "segment", "-segment_time", "1", "-reset_timestamps", "1", "-segment_format", "mp4",
            Path.Combine(folder, "segment-%05d.mp4"));
        File.Delete(whole);
        var files = Directory.GetFiles(folder, "segment-*.mp4").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(SegmentCount, files.Count);
        await TestMedia.WriteManifestAsync(folder, files!);
        return (folder, await CountingFfprobe.CreateAsync());
    }

    /// <summary>
    /// A script named ffprobe that marks itself running, logs how many marks there are, holds a moment so that probes
    /// started together overlap, then runs the real ffprobe and removes its mark.
    /// </summary>
    private sealed class CountingFfprobe
    {
        private readonly string folder;

        private CountingFfprobe(string folder) => this.folder = folder;

        public FfmpegOptions Options => new() { FfprobePath = Path.Combine(folder, "ffprobe") };

        public static async Task<CountingFfprobe> CreateAsync()
        {
            var folder = TestMedia.NewFolder("counting-ffprobe-");
            var script = Path.Combine(folder, "ffprobe");
            await File.WriteAllTextAsync(script, string.Join('\n',
                "#!/bin/bash",
                $"marks='{folder}/running'",
                "mkdir -p \"$marks\" && touch \"$marks/$$\"",
                $"ls \"$marks\" | wc -l >> '{folder}/running-at-start.log'",
                "sleep 0.2",
                "ffprobe \"$@\"",
                "status=$?",
                "rm -f \"$marks/$$\"",
                "exit $status",
                string.Empty));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return new CountingFfprobe(folder);
        }

        public List<int> RunningAtEachStart()
        {
            var log = Path.Combine(folder, "running-at-start.log");
            return File.Exists(log) ? [.. File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => int.Parse(l.Trim(), CultureInfo.InvariantCulture))] : [];
        }
    }
}
