using System.Globalization;
using Recording.Media.Capture;
using Recording.Media.Ffmpeg;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Splice;

/// <summary>
/// The segment files of a manifest as ffprobe and the concat demuxer can read them, one per segment in manifest order.
/// Most formats are read where they are. An HLS capture's fMP4 segment (.m4s) is not a file of its own: its codec setup
/// is in the run's init segment and its timestamps continue the run's timeline. Each becomes a standalone MP4 that starts
/// at 0 (the init and the fragment joined, then remuxed by stream copy) in a scratch folder that goes with this object,
/// so the splice and the clip treat it like any other segment; the recording's own files are only read.
/// </summary>
internal sealed class StandaloneSegments : IDisposable
{
    private readonly ScratchFolder? scratch;

    private StandaloneSegments(IReadOnlyList<string> paths, ScratchFolder? scratch)
    {
        Paths = paths;
        this.scratch = scratch;
    }

    public IReadOnlyList<string> Paths { get; }

    public static async Task<StandaloneSegments> PrepareAsync(LoadedManifest manifest, FfmpegRunner runner, string? workingDirectory, CancellationToken cancellationToken)
    {
        if (manifest.Segments.All(s => s.InitFile is null))
        {
            return new StandaloneSegments(manifest.Paths, null);
        }

        var scratch = new ScratchFolder("standalone-", workingDirectory);
        try
        {
            var paths = new string[manifest.Segments.Count];
            for (var i = 0; i < paths.Length; i++)
            {
                var segment = manifest.Segments[i];
                if (segment.InitFile is null)
                {
                    paths[i] = manifest.Paths[i];
                    continue;
                }

                var init = LocalMediaPath.Resolve(manifest.Folder, segment.InitFile, manifest.Field(i, "initFile"));
                var joined = Path.Combine(scratch.FullName, "joined.mp4");
                await InitSegment.JoinAsync(init, manifest.Paths[i], joined, cancellationToken);
                paths[i] = Path.Combine(scratch.FullName, $"segment-{i.ToString("00000", CultureInfo.InvariantCulture)}.mp4");
                // Without -copyts ffmpeg moves the first timestamp to 0; the fragment's place on the run's timeline goes.
                await runner.RunAsync(
                    ["-hide_banner", "-nostdin", "-y", "-v", "error", "-i", LocalMediaPath.AsFfmpegInput(joined), "-map", "0", "-c", "copy", LocalMediaPath.AsFfmpegInput(paths[i])],
                    cancellationToken: cancellationToken);
                File.Delete(joined);
            }

            return new StandaloneSegments(paths, scratch);
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    public void Dispose() => scratch?.Dispose();
}
