using System.Globalization;
using Recording.Media.Ffmpeg;
using Recording.Media.Probing;

namespace Recording.Media.Verification;

/// <summary>The gate every output passes before it is reported ready: ffprobe confirms duration and streams, then a decode must be clean (all of it, or around the joins of a stream copy).</summary>
public sealed class OutputVerifier
{
    private readonly MediaProbe probe;
    private readonly DecodeCheck decoder;

    public OutputVerifier(FfmpegOptions? options = null)
    {
        probe = new MediaProbe(options);
        decoder = new DecodeCheck(options);
    }

    public async Task<VerifiedOutput> VerifyAsync(string path, ExpectedOutput expected, EncodingDecision encoding, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new OutputVerificationException(path, "the file was not written");
        }

        var info = await probe.ProbeAsync(path, cancellationToken);
        if (info.Duration <= TimeSpan.Zero)
        {
            throw new OutputVerificationException(path, "ffprobe reports no duration");
        }

        if (expected.Duration is { } want && (info.Duration - want).Duration() > expected.Tolerance)
        {
            throw new OutputVerificationException(path, string.Create(CultureInfo.InvariantCulture,
                $"duration {info.Duration.TotalSeconds:0.###} s, expected {want.TotalSeconds:0.###} s within {expected.Tolerance.TotalSeconds:0.###} s"));
        }

        if (expected.Video && !info.HasVideo)
        {
            throw new OutputVerificationException(path, "expected a video stream, found none");
        }

        if (expected.Audio && !info.HasAudio)
        {
            throw new OutputVerificationException(path, "expected an audio stream, found none");
        }

        if ((expected.Width is { } w && info.Streams.Width != w) || (expected.Height is { } h && info.Streams.Height != h))
        {
            throw new OutputVerificationException(path, $"expected {expected.Width}x{expected.Height}, found {info.Streams.Width}x{info.Streams.Height}");
        }

        if (!expected.SkipDecode)
        {
            var decode = expected.CopyJoins is { } joins && encoding.IsCopy
                ? expected.ReadEveryPacket
                    ? await decoder.RunAroundAsync(path, info.Duration, joins, cancellationToken)
                    : await decoder.RunWindowsAsync(path, info.Duration, joins, includeStart: true, cancellationToken)
                : await decoder.RunAsync(path, cancellationToken);
            if (!decode.IsClean)
            {
                throw new OutputVerificationException(path, "decode errors: " + string.Join(" | ", decode.Errors.Take(5)));
            }
        }

        return new VerifiedOutput { Path = path, Duration = info.Duration, Streams = info.Streams, Bytes = info.Bytes, Encoding = encoding };
    }
}
