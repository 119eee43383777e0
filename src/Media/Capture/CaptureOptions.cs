using Recording.Media.Manifest;

namespace Recording.Media.Capture;

/// <summary>What a capture records, where, and within which limits.</summary>
public sealed record CaptureOptions
{
    public required string RecordingId { get; init; }

    public required string OutputDirectory { get; init; }

    public SegmentFormat Format { get; init; } = SegmentFormat.Fmp4;

    /// <summary>Only for <see cref="SegmentFormat.Hls"/>.</summary>
    public HlsSegmentType HlsSegmentType { get; init; } = HlsSegmentType.Ts;

    /// <summary>Target segment length; segments are cut on the first keyframe after it. 1 to 120 minutes unless <see cref="AllowShortSegments"/>.</summary>
    public TimeSpan SegmentLength { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Allows segments of 1 s to 1 min, for tests and demos; production templates keep minutes.</summary>
    public bool AllowShortSegments { get; init; }

    /// <summary>Breakpoint-resumption window: how long after a source loss the capture keeps reconnecting (0 to 1800 s).</summary>
    public TimeSpan ResumeWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Stops the capture (reason max-duration) after this long; null records until stopped.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Stops the capture cleanly (reason disk-low) when the output folder's drive has less free space than this.</summary>
    public long MinFreeDiskBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Rotates to a new segment (reason size-limit) when the open one grows past this; null for no limit.</summary>
    public long? MaxSegmentBytes { get; init; }

    /// <summary>How often free disk and the open segment's size are checked.</summary>
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a source may stay silent before the run is ended and the capture reconnects: ffmpeg's -rw_timeout where
    /// the protocol honours it, and the capture's own heartbeat (ffmpeg's progress lines) for those that block in TCP (RTMP).
    /// </summary>
    public TimeSpan SourceReadTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>First reconnect delay; doubled after each failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(4);

    public static readonly TimeSpan MaxResumeWindow = TimeSpan.FromSeconds(1800);

    /// <summary>Throws <see cref="CaptureOptionsException"/> naming the first field that breaks its rule.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RecordingId) || RecordingId.Length > 128 || RecordingId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || RecordingId.StartsWith('.'))
        {
            throw new CaptureOptionsException(nameof(RecordingId), "recording-id-format", "must be 1 to 128 characters of letters, digits, '-', '_' or '.', not starting with '.'.");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new CaptureOptionsException(nameof(OutputDirectory), "required", "must name a folder.");
        }

        var minimum = AllowShortSegments ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1);
        if (SegmentLength < minimum || SegmentLength > TimeSpan.FromMinutes(120))
        {
            throw new CaptureOptionsException(
                nameof(SegmentLength),
                "segment-length-range",
                AllowShortSegments
                    ? $"must be between 1 s and 120 min (was {SegmentLength})."
                    : $"must be between 1 and 120 minutes (was {SegmentLength}); seconds need AllowShortSegments.");
        }

        if (ResumeWindow < TimeSpan.Zero || ResumeWindow > MaxResumeWindow)
        {
            throw new CaptureOptionsException(nameof(ResumeWindow), "resume-window-range", $"must be between 0 and 1800 s (was {ResumeWindow.TotalSeconds} s).");
        }

        if (MaxDuration is { } max && max <= TimeSpan.Zero)
        {
            throw new CaptureOptionsException(nameof(MaxDuration), "positive", "must be greater than zero.");
        }

        if (MinFreeDiskBytes < 0)
        {
            throw new CaptureOptionsException(nameof(MinFreeDiskBytes), "not-negative", "must be zero or more.");
        }

        if (MaxSegmentBytes is { } size && size < 64 * 1024)
        {
            throw new CaptureOptionsException(nameof(MaxSegmentBytes), "minimum-size", "must be at least 64 KiB.");
        }

        if (HlsSegmentType != HlsSegmentType.Ts && Format != SegmentFormat.Hls)
        {
            throw new CaptureOptionsException(nameof(HlsSegmentType), "hls-only", "applies only to the hls format.");
        }
    }
}
