namespace Recording.Functions.Jobs;

/// <summary>What a capture job needs: the validated source, where to write, and the template's capture settings.</summary>
public sealed record CaptureJobRequest
{
    public required string RecordingId { get; init; }

    /// <summary>Already checked by the source policy; the worker checks it again before ffmpeg runs.</summary>
    public required string SourceUrl { get; init; }

    /// <summary>The recording's working folder (segments and <c>manifest.json</c>); the same folder on a restart, for crash recovery.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Segment format as the worker's <c>--format</c> option spells it (fmp4, mp4, flv, ts, hls, m4a).</summary>
    public string Format { get; init; } = "fmp4";

    public required TimeSpan SegmentLength { get; init; }

    public TimeSpan ResumeWindow { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Lets the source be a private or loopback address (local deployments).</summary>
    public bool AllowPrivateNetworks { get; init; }
}
