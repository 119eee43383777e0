using Recording.Media.Ffmpeg;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// Writes a rendition's I-frame playlist from its TS segments: a key frame's range runs from its PES packet to the next
/// video PES packet (the audio interleaved with it comes along and is ignored), and the map is what precedes the first
/// segment's first PES packet (its PAT and PMT). Then checks it: every range is whole TS packets inside its segment,
/// and the first one, behind the map, decodes.
/// </summary>
internal sealed class HlsIFrameIndexer
{
    private readonly DecodeCheck decoder;

    public HlsIFrameIndexer(FfmpegOptions? ffmpeg = null)
    {
        decoder = new DecodeCheck(ffmpeg);
    }

    public async Task<HlsIFramePlaylist> WriteAsync(string folder, HlsMediaPlaylist media, CancellationToken cancellationToken)
    {
        var segments = new List<TsSegmentIndex>();
        foreach (var segment in media.Segments)
        {
            segments.Add(await TsKeyframeScanner.ScanAsync(Path.Combine(folder, segment.Uri), cancellationToken));
        }

        var keyframes = segments.SelectMany((index, s) => index.Keyframes.Select(k => (Frame: k, media.Segments[s].Uri))).ToList();
        if (keyframes.Count == 0 || segments[0].TablesLength == 0 || segments[0].FirstVideoPts is not { } start)
        {
            throw new OutputVerificationException(folder, "the rendition's TS segments give no program tables or no key frame for an I-frame playlist");
        }

        // Each key frame stands until the next one; the last until the rendition's end. Times are unwrapped in order, so
        // that a rendition whose PTS passes 2^33 does not get a key frame lasting minus 26.5 hours.
        var times = new List<long>(keyframes.Count);
        foreach (var (frame, _) in keyframes)
        {
            times.Add(MpegTsClock.Unwrap(frame.Pts, times.Count > 0 ? times[^1] : start));
        }

        var end = start + (long)Math.Round(media.TotalDuration * MpegTsClock.TicksPerSecond);
        var frames = keyframes
            .Select((k, i) => new HlsIFrame(Math.Max(0.001, ((i + 1 < times.Count ? times[i + 1] : end) - times[i]) / MpegTsClock.TicksPerSecond), k.Uri, k.Frame.Offset, k.Frame.Length))
            .ToList();
        var playlist = new HlsIFramePlaylist { MapUri = media.Segments[0].Uri, MapLength = segments[0].TablesLength, Frames = frames };
        await CheckAsync(folder, playlist, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, HlsIFramePlaylist.Name), playlist.Render(), cancellationToken);
        return playlist;
    }

    private async Task CheckAsync(string folder, HlsIFramePlaylist playlist, CancellationToken cancellationToken)
    {
        foreach (var frame in playlist.Frames)
        {
            var length = new FileInfo(Path.Combine(folder, frame.Uri)).Length;
            if (frame.Length <= 0 || frame.Length % TsKeyframeScanner.PacketSize != 0 || frame.Offset % TsKeyframeScanner.PacketSize != 0 || frame.Offset + frame.Length > length)
            {
                throw new OutputVerificationException(Path.Combine(folder, frame.Uri), $"the I-frame range {frame.Length}@{frame.Offset} is not whole TS packets inside the segment");
            }
        }

        using var scratch = new ScratchFolder("iframe-");
        var first = playlist.Frames[0];
        var lone = Path.Combine(scratch.FullName, "first-iframe.ts");
        await using (var output = File.Create(lone))
        {
            await CopyRangeAsync(Path.Combine(folder, playlist.MapUri), 0, playlist.MapLength, output, cancellationToken);
            await CopyRangeAsync(Path.Combine(folder, first.Uri), first.Offset, first.Length, output, cancellationToken);
        }

        var decode = await decoder.RunAsync(lone, cancellationToken);
        if (!decode.IsClean)
        {
            throw new OutputVerificationException(Path.Combine(folder, HlsIFramePlaylist.Name), "the first I-frame does not decode with its map: " + string.Join(" | ", decode.Errors.Take(3)));
        }
    }

    private static async Task CopyRangeAsync(string path, long offset, long length, Stream output, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(path);
        input.Position = offset;
        var buffer = new byte[length];
        await input.ReadExactlyAsync(buffer, cancellationToken);
        await output.WriteAsync(buffer, cancellationToken);
    }
}
