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

    public static Task<StandaloneSegments> PrepareAsync(LoadedManifest manifest, FfmpegRunner runner, string? workingDirectory, CancellationToken cancellationToken)
        => PrepareAsync(manifest, 0, manifest.Segments.Count, runner, workingDirectory, cancellationToken);

    /// <summary>Only the <paramref name="count"/> segments from position <paramref name="first"/> (in index order); Paths[0] is the first of them.</summary>
    public static async Task<StandaloneSegments> PrepareAsync(LoadedManifest manifest, int first, int count, FfmpegRunner runner, string? workingDirectory, CancellationToken cancellationToken)
    {
        if (manifest.Segments.Skip(first).Take(count).All(s => s.InitFile is null))
        {
            return new StandaloneSegments([.. manifest.Paths.Skip(first).Take(count)], null);
        }

        var scratch = new ScratchFolder("standalone-", workingDirectory);
        try
        {
            var paths = new string[count];
            for (var k = 0; k < count; k++)
            {
                var i = first + k;
                var segment = manifest.Segments[i];
                if (segment.InitFile is null)
                {
                    paths[k] = manifest.Paths[i];
                    continue;
                }

                var init = LocalMediaPath.Resolve(manifest.Folder, segment.InitFile, manifest.Field(i, "initFile"));
                var joined = Path.Combine(scratch.FullName, "joined.mp4");
                await InitSegment.JoinAsync(init, manifest.Paths[i], joined, cancellationToken);
                paths[k] = Path.Combine(scratch.FullName, $"segment-{i.ToString("00000", CultureInfo.InvariantCulture)}.mp4");
                // Without -copyts ffmpeg moves the first timestamp to 0; the fragment's place on the run's timeline goes.
                await runner.RunAsync(
                    ["-hide_banner", "-nostdin", "-y", "-v", "error", "-i", LocalMediaPath.AsFfmpegInput(joined), "-map", "0", "-c", "copy", LocalMediaPath.AsFfmpegInput(paths[k])],
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
