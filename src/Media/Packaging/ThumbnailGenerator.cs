using System.Globalization;
using System.Text;
using Recording.Media.Ffmpeg;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// Makes thumbnails in one decode: fps=1/N picks one frame per interval, then split feeds both the single images and
/// tile= for the sprite sheets; the WebVTT track maps each interval to its cell (the format players such as Video.js
/// and JW Player read). The poster is a separate fast seek to the first keyframe after 10 % of the duration.
/// </summary>
public sealed class ThumbnailGenerator
{
    private readonly FfmpegOptions? ffmpeg;
    private readonly FfmpegRunner runner;
    private readonly FfprobeReader reader;

    public ThumbnailGenerator(FfmpegOptions? ffmpeg = null)
    {
        this.ffmpeg = ffmpeg;
        runner = new FfmpegRunner(ffmpeg);
        reader = new FfprobeReader(ffmpeg);
    }

    public async Task<ThumbnailResult> GenerateAsync(ThumbnailRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Interval < TimeSpan.FromSeconds(1))
        {
            throw new MediaInputException("thumbnails", "interval must be at least 1 second");
        }

        if (request.Width is < 16 or > 1920 || request.Width % 2 != 0)
        {
            throw new MediaInputException("thumbnailWidth", "must be an even number between 16 and 1920");
        }

        if (request.Columns is < 1 or > 20 || request.Rows is < 1 or > 20)
        {
            throw new MediaInputException("sprite", "columns and rows must be between 1 and 20");
        }

        var output = PackagingInput.PrepareOutputDirectory(request.OutputDirectory);
        using var scratch = new ScratchFolder("thumbs-");
        var input = await PackagingInput.ResolveAsync(request.Input, scratch.FullName, ffmpeg, cancellationToken);
        var source = await reader.SignatureAsync(input, cancellationToken);
        if (!source.HasVideo)
        {
            throw new MediaInputException("input", "must have a video stream to make thumbnails");
        }

        var width = request.Width;
        var height = Math.Max(2, (int)Math.Round((double)width * source.Height / source.Width / 2) * 2);
        var interval = request.Interval.TotalSeconds;
        var count = Math.Max(1, (int)Math.Ceiling((source.Duration.TotalSeconds - 0.001) / interval));
        var perSheet = request.Columns * request.Rows;
        var rate = (1 / interval).ToString("0.######", CultureInfo.InvariantCulture);
        var images = Path.Combine(output, "images");
        Directory.CreateDirectory(images);
        // A folder used before keeps that run's pictures: they would be listed, and a run that wrote none would pass.
        foreach (var stale in Directory.GetFiles(images, "thumb_*.jpg").Concat(Directory.GetFiles(output, "sprite_*.jpg")))
        {
            File.Delete(stale);
        }

        await runner.RunAsync(
            [
                "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", LocalMediaPath.AsFfmpegInput(input),
                "-filter_complex", $"[0:v:0]fps={rate}:round=down,scale={width}:{height},setsar=1,split=2[one][grid];[grid]tile={request.Columns}x{request.Rows}[sheet]",
                "-map", "[one]", "-frames:v", count.ToString(CultureInfo.InvariantCulture), "-q:v", "4", Path.Combine(images, "thumb_%05d.jpg"),
                "-map", "[sheet]", "-q:v", "4", Path.Combine(output, "sprite_%03d.jpg"),
            ],
            cancellationToken: cancellationToken);

        var poster = Path.Combine(output, "poster.jpg");
        var posterAt = (source.Duration.TotalSeconds * 0.1).ToString("0.###", CultureInfo.InvariantCulture);
        await runner.RunAsync(
            ["-hide_banner", "-nostdin", "-y", "-v", "error", "-ss", posterAt, "-i", LocalMediaPath.AsFfmpegInput(input), "-frames:v", "1", "-q:v", "2", poster],
            cancellationToken: cancellationToken);

        var imageFiles = Directory.GetFiles(images, "thumb_*.jpg").Order(StringComparer.Ordinal).ToList();
        // tile= numbers sheets from 1; the VTT names them as written.
        var sheets = Directory.GetFiles(output, "sprite_*.jpg").Order(StringComparer.Ordinal).ToList();
        if (!File.Exists(poster) || imageFiles.Count == 0 || sheets.Count == 0)
        {
            throw new OutputVerificationException(output, "ffmpeg wrote no poster, images or sprite sheet");
        }

        var vtt = new StringBuilder("WEBVTT\n\n");
        var cues = Math.Min(count, imageFiles.Count);
        for (var i = 0; i < cues; i++)
        {
            var sheet = i / perSheet;
            if (sheet >= sheets.Count)
            {
                break;
            }

            var cell = i % perSheet;
            var start = TimeSpan.FromSeconds(i * interval);
            var end = TimeSpan.FromSeconds(Math.Min((i + 1) * interval, source.Duration.TotalSeconds));
            vtt.Append(CultureInfo.InvariantCulture, $"{Cue(start)} --> {Cue(end)}\n{Path.GetFileName(sheets[sheet])}#xywh={cell % request.Columns * width},{cell / request.Columns * height},{width},{height}\n\n");
        }

        var vttPath = Path.Combine(output, "thumbnails.vtt");
        await File.WriteAllTextAsync(vttPath, vtt.ToString(), cancellationToken);
        return new ThumbnailResult
        {
            PosterPath = poster,
            Images = imageFiles,
            SpriteSheets = sheets,
            WebVttPath = vttPath,
            ThumbnailWidth = width,
            ThumbnailHeight = height,
        };
    }

    private static string Cue(TimeSpan time) => time.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
}
