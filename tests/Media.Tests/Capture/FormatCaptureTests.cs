using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.Media.Probing;
using Recording.Media.Tests.MediaOpsSupport;
using Recording.TestSupport;

namespace Recording.Media.Tests.Capture;

/// <summary>Every output format, captured side by side from one RTMP stream, gives files ffprobe reads with the expected codecs.</summary>
public sealed class FormatCaptureTests
{
    [Fact]
    public async Task Capture_EveryFormat_GivesProbeableSegmentsWithExpectedCodecs()
    {
        await using var server = await NginxRtmpServer.StartAsync();
        await using var source = SyntheticSource.Start(server.UrlFor("formats"));
        var variants = new (string Name, SegmentFormat Format, HlsSegmentType Hls)[]
        {
            ("fmp4", SegmentFormat.Fmp4, HlsSegmentType.Ts),
            ("mp4", SegmentFormat.Mp4, HlsSegmentType.Ts),
            ("flv", SegmentFormat.Flv, HlsSegmentType.Ts),
            ("ts", SegmentFormat.Ts, HlsSegmentType.Ts),
            ("hls-ts", SegmentFormat.Hls, HlsSegmentType.Ts),
            ("hls-fmp4", SegmentFormat.Hls, HlsSegmentType.Fmp4),
            ("m4a", SegmentFormat.M4a, HlsSegmentType.Ts),
        };
        var captures = new List<RunningCapture>();
        try
        {
            foreach (var (name, format, hls) in variants)
            {
                var options = RunningCapture.DefaultOptions(name, TimeSpan.FromSeconds(2)) with { Format = format, HlsSegmentType = hls };
                captures.Add(await RunningCapture.StartAsync(server.UrlFor("formats"), options));
            }

            foreach (var capture in captures)
            {
                await capture.WaitForSegmentsAsync(2, TimeSpan.FromSeconds(60));
            }

            var results = await Task.WhenAll(captures.Select(c => c.StopAsync(TimeSpan.FromSeconds(30))));
            var probe = new MediaProbe();
            foreach (var (capture, result) in captures.Zip(results))
            {
                var what = capture.Options.RecordingId;
                Assert.Equal(CaptureExitReason.Stopped, result.Reason);
                var manifest = await ManifestFile.ReadAsync(capture.Options.OutputDirectory);
                Assert.True(manifest.Segments.Count >= 3, $"{what}: {manifest.Segments.Count} segments");
                Assert.Equal(CaptureExitReason.Stopped, manifest.ExitReason);
                Assert.Equal(SegmentEndReason.Stop, manifest.Segments[^1].EndReason);
                Assert.All(manifest.Segments.SkipLast(1), s => Assert.Equal(SegmentEndReason.Rotation, s.EndReason));
                Assert.Equal(Enumerable.Range(0, manifest.Segments.Count), manifest.Segments.Select(s => s.Index));
                foreach (var segment in manifest.Segments)
                {
                    // The segment the stop closed holds what came after the last rotation: a CI run saw one of a single frame (0.04 s).
                    Assert.InRange(segment.DurationSeconds, segment == manifest.Segments[^1] ? 0 : 0.1, 4.5);
                    Assert.Equal(new FileInfo(Path.Combine(capture.Options.OutputDirectory, segment.File)).Length, segment.Bytes);
                    Assert.Equal(64, segment.Sha256.Length);
                    Assert.Equal("aac", segment.Streams.AudioCodec);
                    Assert.Equal(capture.Options.Format == SegmentFormat.M4a ? null : "h264", segment.Streams.VideoCodec);
                }

                if (capture.Options.Format == SegmentFormat.Hls)
                {
                    var playlistPath = Path.Combine(capture.Options.OutputDirectory, SegmentNaming.PlaylistName);
                    var playlist = await File.ReadAllTextAsync(playlistPath);
                    Assert.EndsWith("#EXT-X-ENDLIST\n", playlist, StringComparison.Ordinal);
                    Assert.Contains("#EXT-X-PLAYLIST-TYPE:EVENT", playlist, StringComparison.Ordinal);
                    Assert.All(manifest.Segments, s => Assert.Contains(s.File, playlist, StringComparison.Ordinal));
                    var whole = await probe.ProbeAsync(playlistPath);
                    Assert.Equal("h264", whole.Streams.VideoCodec);
                    Assert.Equal(manifest.TotalDurationSeconds, whole.Duration.TotalSeconds, 1.0);
                    if (capture.Options.HlsSegmentType == HlsSegmentType.Fmp4)
                    {
                        Assert.Contains("#EXT-X-MAP:URI=\"init_000.mp4\"", playlist, StringComparison.Ordinal);
                    }
                }
                else
                {
                    var first = await probe.ProbeAsync(Path.Combine(capture.Options.OutputDirectory, manifest.Segments[0].File));
                    var expectedFormat = capture.Options.Format switch
                    {
                        SegmentFormat.Flv => "flv",
                        SegmentFormat.Ts => "mpegts",
                        _ => "mov,mp4,m4a,3gp,3g2,mj2",
                    };
                    Assert.Equal(expectedFormat, first.FormatName);
                    if (capture.Options.Format == SegmentFormat.Mp4)
                    {
                        // The index follows the media: ffmpeg wrote each segment once and never moved its data (no faststart).
                        foreach (var segment in manifest.Segments)
                        {
                            var boxes = await Mp4Boxes.TopLevelAsync(Path.Combine(capture.Options.OutputDirectory, segment.File));
                            var (mdat, moov) = (boxes.IndexOf("mdat"), boxes.IndexOf("moov"));
                            Assert.True(mdat >= 0 && moov > mdat, $"{segment.File}: {string.Join(' ', boxes)}");
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (var capture in captures)
            {
                await capture.DisposeAsync();
            }
        }
    }
}
