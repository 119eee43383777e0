namespace Recording.Worker.Commands;

/// <summary>
/// The job-start message as the worker reads it: the same JSON as the service's QueueCaptureStartMessage
/// (src/Functions/Jobs), which the worker does not reference (Worker depends on Media and Storage only).
/// </summary>
internal sealed record JobStartMessage
{
    public const int SupportedVersion = 1;

    public int Version { get; init; }

    public string? RecordingId { get; init; }

    public string? SourceUrl { get; init; }

    public string? OutputDirectory { get; init; }

    public string Format { get; init; } = "fmp4";

    public TimeSpan SegmentLength { get; init; }

    public bool AllowShortSegments { get; init; }

    public TimeSpan ResumeWindow { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan? MaxDuration { get; init; }

    public bool AllowPrivateNetworks { get; init; }

    public string? EventsQueue { get; init; }

    public string? ControlQueue { get; init; }
}
