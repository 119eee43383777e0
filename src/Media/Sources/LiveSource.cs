namespace Recording.Media.Sources;

/// <summary>A source URL that passed the source policy, with the ffmpeg protocol whitelist that matches its scheme.</summary>
public sealed record LiveSource
{
    public required Uri Url { get; init; }

    /// <summary>Lower-case scheme: rtmp, rtmps, srt, rtsp, rtsps, http or https (HLS).</summary>
    public required string Scheme { get; init; }

    /// <summary>The value of ffmpeg's -protocol_whitelist: the scheme and only the protocols it is built on.</summary>
    public required string ProtocolWhitelist { get; init; }

    /// <summary>The URL safe for manifests and logs: no user info, no query, no fragment.</summary>
    public string Redacted => SourceRedaction.Redact(Url);

    public bool IsHls => Scheme is "http" or "https";

    public override string ToString() => Redacted;
}
