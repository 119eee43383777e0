using System.Net;
using Recording.Media.Sources;

namespace Recording.Media.Tests.Sources;

/// <summary>The rules a source URL must pass before any ffmpeg process exists.</summary>
public sealed class SourcePolicyTests
{
    private static readonly SourcePolicy Local = new(new SourcePolicyOptions { AllowPrivateNetworks = true });
    private static readonly SourcePolicy Public = new();

    [Theory]
    [InlineData("file:///etc/passwd", "scheme-not-allowed")]
    [InlineData("concat:a.ts|b.ts", "scheme-not-allowed")]
    [InlineData("subfile:,start,0,end,100,:/etc/passwd", "scheme-not-allowed")]
    [InlineData("data:text/plain;base64,aGVsbG8=", "scheme-not-allowed")]
    [InlineData("pipe:0", "scheme-not-allowed")]
    [InlineData("gopher://example.com/x", "scheme-not-allowed")]
    [InlineData("ftp://example.com/live.ts", "scheme-not-allowed")]
    [InlineData("/var/media/stream.flv", "not-a-url")]
    [InlineData("just some text", "not-a-url")]
    [InlineData("", "not-a-url")]
    [InlineData("rtmp:///live/nohost", "not-a-url")]
    public async Task ValidateAsync_HostileOrMalformed_IsRefusedNamingTheRule(string text, string rule)
    {
        var ex = await Assert.ThrowsAsync<SourceRejectedException>(() => Local.ValidateAsync(text));
        Assert.Equal(rule, ex.Rule);
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtmp://127.0.0.1:1935/live/key")]
    [InlineData("srt://10.1.2.3:9000?mode=caller")]
    [InlineData("rtsp://192.168.1.20/stream")]
    [InlineData("rtmps://169.254.169.254/latest/meta-data")]
    [InlineData("rtmp://[::1]/live/x")]
    [InlineData("rtmp://localhost/live/x")]
    [InlineData("rtmp://100.64.0.1/live/x")]
    public async Task ValidateAsync_NonPublicAddressWithoutPermission_IsRefusedAsPrivateAddress(string text)
    {
        var ex = await Assert.ThrowsAsync<SourceRejectedException>(() => Public.ValidateAsync(text));
        Assert.Equal("private-address", ex.Rule);
    }

    [Theory]
    [InlineData("rtmp://127.0.0.1/live/x", "rtmp,tcp")]
    [InlineData("rtmps://127.0.0.1/live/x", "rtmps,tls,tcp")]
    [InlineData("srt://127.0.0.1:9000?mode=caller", "srt,udp")]
    [InlineData("rtsp://127.0.0.1/x", "rtsp,rtp,udp,tcp")]
    [InlineData("rtsps://127.0.0.1/x", "rtsps,rtsp,rtp,udp,tcp,tls")]
    public async Task ValidateAsync_LiveSchemeWithPrivateNetworksAllowed_GivesTheMatchingWhitelist(string text, string whitelist)
    {
        var source = await Local.ValidateAsync(text);
        Assert.Equal(whitelist, source.ProtocolWhitelist);
        Assert.DoesNotContain("file", source.ProtocolWhitelist, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_PublicLiteralAddress_IsAccepted()
    {
        var source = await Public.ValidateAsync("rtmp://8.8.8.8/live/x");
        Assert.Equal("rtmp", source.Scheme);
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("2001:4860:4860::8888", false)]
    [InlineData("1.1.1.1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", true)] // NAT64 of 169.254.169.254, the cloud metadata address
    [InlineData("64:ff9b::808:808", false)]
    [InlineData("2002:c0a8:0001::1", true)] // 6to4 of 192.168.0.1
    [InlineData("2002:0808:0808::1", false)]
    public void IsNonPublic_ClassifiesAddresses(string address, bool nonPublic)
        => Assert.Equal(nonPublic, SourcePolicy.IsNonPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task Redacted_DropsCredentialsAndQuery()
    {
        var source = await Local.ValidateAsync("rtmp://user:hunter2@127.0.0.1:1935/live/stream?key=s3cret");
        Assert.DoesNotContain("hunter2", source.Redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", source.Redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("user", source.Redacted, StringComparison.Ordinal);
        Assert.Equal("rtmp://127.0.0.1:1935/live/***ream?redacted", source.Redacted);
        Assert.Equal(source.Redacted, source.ToString());
    }

    [Theory]
    [InlineData("rtmp://ingest.example.com/live2/xk4p-9w2r-77ab-c0de-f00d", "rtmp://ingest.example.com/live2/***f00d")]
    [InlineData("rtmps://ingest.example.com:443/app/sk_live_9c1f2e", "rtmps://ingest.example.com:443/app/***1f2e")]
    [InlineData("rtmp://ingest.example.com/live/key", "rtmp://ingest.example.com/live/***")]
    [InlineData("rtmp://ingest.example.com/live", "rtmp://ingest.example.com/live")]
    [InlineData("srt://ingest.example.com:9000/", "srt://ingest.example.com:9000/")]
    [InlineData("https://cdn.example.com/live/room-42/index.m3u8", "https://cdn.example.com/live/room-42/index.m3u8")]
    public void Redact_MasksAnRtmpStreamName_ButItsLastFourCharacters(string url, string redacted)
        => Assert.Equal(redacted, SourceRedaction.Redact(new Uri(url)));

    [Fact]
    public void RedactUrlsIn_RedactsEveryUrlInAnFfmpegLine_AndLeavesTheRestAlone()
    {
        const string line = "[hls @ 0x5616] Error when loading first segment 'https://cdn.example.com/v/seg0.ts?sig=SEGSECRET' after "
            + "https://cdn.example.com/v/live.m3u8?token=VARIANTSECRET, rtmp://u:pw@ingest.example.com/live/sk_live_9c1f2e";

        var redacted = SourceRedaction.RedactUrlsIn(line);

        Assert.Equal(
            "[hls @ 0x5616] Error when loading first segment 'https://cdn.example.com/v/seg0.ts?redacted' after "
            + "https://cdn.example.com/v/live.m3u8?redacted, rtmp://ingest.example.com/live/***1f2e",
            redacted);
        Assert.Equal("Failed to open segment 0 of playlist 0", SourceRedaction.RedactUrlsIn("Failed to open segment 0 of playlist 0"));
    }
}
