namespace Recording.Functions.Jobs;

/// <summary>
/// The job-start message (JSON with ManifestJson's options, Base64 on the queue): the capture to run and where to report.
/// The worker's <c>job</c> command reads the same shape (src/Worker/Commands/JobStartMessage.cs); <see cref="Version"/> guards changes.
/// </summary>
public sealed record QueueCaptureStartMessage
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required string RecordingId { get; init; }

    /// <summary>Carries credentials when the source URL does (a stream key): never logged.</summary>
    public required string SourceUrl { get; init; }

    public required string OutputDirectory { get; init; }

    public required string Format { get; init; }

    public required TimeSpan SegmentLength { get; init; }

    /// <summary>Set when the service's template allowed segments under a minute (tests, demos).</summary>
    public bool AllowShortSegments { get; init; }

    public required TimeSpan ResumeWindow { get; init; }

    public TimeSpan? MaxDuration { get; init; }

    /// <summary>A request, not a grant: the job allows private addresses only when its own --allow-private-networks flag does too.</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>The queue the job sends its <see cref="QueueCaptureEventMessage"/>s to.</summary>
    public required string EventsQueue { get; init; }

    /// <summary>The per-recording queue the job watches for <see cref="QueueCaptureControlMessage"/>s (the stop request).</summary>
    public required string ControlQueue { get; init; }

    public static QueueCaptureStartMessage From(CaptureJobRequest request, string eventsQueue, string controlQueue) => new()
    {
        RecordingId = request.RecordingId,
        SourceUrl = request.SourceUrl,
        OutputDirectory = request.OutputDirectory,
        Format = request.Format,
        SegmentLength = request.SegmentLength,
        AllowShortSegments = request.SegmentLength < TimeSpan.FromMinutes(1),
        ResumeWindow = request.ResumeWindow,
        MaxDuration = request.MaxDuration,
        AllowPrivateNetworks = request.AllowPrivateNetworks,
        EventsQueue = eventsQueue,
        ControlQueue = controlQueue,
    };
}
