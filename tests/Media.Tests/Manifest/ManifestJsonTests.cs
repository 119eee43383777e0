using Recording.Media.Manifest;

namespace Recording.Media.Tests.Manifest;

public sealed class ManifestJsonTests
{
    [Fact]
    public async Task WriteThenRead_RoundTripsWithMillisecondUtcTimesAndKebabEnums()
    {
        var directory = Directory.CreateTempSubdirectory("manifest-").FullName;
        var start = new DateTimeOffset(2026, 11, 22, 10, 15, 30, 125, TimeSpan.FromHours(2)).AddTicks(4321);
        var manifest = new SegmentManifest
        {
            RecordingId = "rec-1",
            Source = "rtmp://example.com/live/x",
            Format = SegmentFormat.Fmp4,
            StartedAt = start,
            Segments =
            [
                new SegmentEntry
                {
                    Index = 0, File = "segment-00000.mp4", StartedAt = start, EndedAt = start.AddSeconds(10),
                    DurationSeconds = 10.01, Bytes = 1234, Sha256 = new string('a', 64),
                    Streams = new StreamInfo { VideoCodec = "h264", Width = 320, Height = 240, AudioCodec = "aac" },
                    EndReason = SegmentEndReason.SourceLost,
                },
            ],
        };

        await ManifestFile.WriteAsync(directory, manifest);
        var text = await File.ReadAllTextAsync(ManifestFile.PathIn(directory));
        var back = await ManifestFile.ReadAsync(directory);

        Assert.Contains("\"startedAt\": \"2026-11-22T08:15:30.125Z\"", text, StringComparison.Ordinal);
        Assert.Contains("\"endReason\": \"source-lost\"", text, StringComparison.Ordinal);
        Assert.Contains("\"format\": \"fmp4\"", text, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 15, 30, 125, TimeSpan.Zero), back.Segments[0].StartedAt);
        Assert.Equal(SegmentEndReason.SourceLost, back.Segments[0].EndReason);
        Assert.False(File.Exists(ManifestFile.PathIn(directory) + ".tmp"));
    }
}
