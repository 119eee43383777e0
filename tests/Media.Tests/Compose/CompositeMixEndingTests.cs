using System.Globalization;
using Recording.Media.Compose;
using Recording.Media.Ffmpeg;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.TestSupport;

namespace Recording.Media.Tests.Compose;

/// <summary>
/// The composite's audio ends at the composite's end even when the mix's frames come out without timestamps, as amix's last
/// frame can (a composition end-to-end test saw its compose job encode on past the composite's end until it was stopped).
/// </summary>
public sealed class CompositeMixEndingTests
{
    [Fact]
    public async Task AMixWhoseFramesHaveNoTimestamps_IsPaddedWithSilenceToTheCompositeEnd_AndEndsThere()
    {
        var output = Path.Combine(TestMedia.NewFolder("mix-ending-"), "mix.wav");
        // A bound on a hang, not a measure of speed: with an open apad this ffmpeg never ends.
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // 2 s of tone whose every frame has no timestamp (asetpts to NaN), followed by the composite's ending for 3 s.
        await new FfmpegRunner().RunAsync(
            [
                "-hide_banner", "-nostdin", "-y", "-v", "error",
                "-filter_complex", "sine=frequency=440:sample_rate=48000:d=2,asetpts=0/0" + CompositeGraphBuilder.MixEnding(3) + "[aout]",
                "-map", "[aout]", "-c:a", "pcm_s16le", output,
            ],
            cancellationToken: hang.Token);

        var samples = long.Parse(await Ffprobe.RunAsync("-v", "error", "-show_entries", "stream=duration_ts", "-of", "csv=p=0", output), CultureInfo.InvariantCulture);
        Assert.Equal(3 * 48000, samples);
        // The tone, then silence: the second past the tone's end peaks at digital silence.
        var lastSecond = await Ffprobe.RunAsync("-v", "error", "-f", "lavfi", "-i", $"amovie={output},atrim=start=2.1,astats=metadata=1:reset=0,ametadata=print:key=lavfi.astats.Overall.Peak_level:file=-", "-show_entries", "format=duration", "-of", "csv=p=0");
        Assert.Contains("Peak_level=-inf", lastSecond, StringComparison.Ordinal);
    }
}
