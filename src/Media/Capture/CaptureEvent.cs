using System.Text.Json.Serialization;
using Recording.Media.Manifest;

namespace Recording.Media.Capture;

/// <summary>Something a parent process (or orchestrator) follows: one JSON line each on the worker's stdout.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SegmentReady), "segment-ready")]
[JsonDerivedType(typeof(SourceLost), "source-lost")]
[JsonDerivedType(typeof(SourceResumed), "source-resumed")]
[JsonDerivedType(typeof(CaptureExited), "exited")]
public abstract record CaptureEvent
{
    public required string RecordingId { get; init; }

    public required DateTimeOffset At { get; init; }
}

/// <summary>A segment closed, was probed and hashed, and is in the manifest: safe to upload.</summary>
public sealed record SegmentReady : CaptureEvent
{
    public required SegmentEntry Segment { get; init; }
}

/// <summary>The source dropped (or could not be reached); the capture reconnects until <see cref="ResumeDeadline"/>.</summary>
public sealed record SourceLost : CaptureEvent
{
    public required DateTimeOffset ResumeDeadline { get; init; }

    /// <summary>ffmpeg's last words, with the source URL redacted.</summary>
    public string? Detail { get; init; }
}

/// <summary>The source is back within the window; the same recording continues with a new segment.</summary>
public sealed record SourceResumed : CaptureEvent
{
    public required ManifestGap Gap { get; init; }
}

/// <summary>The capture ended; <see cref="Reason"/> is one of <see cref="CaptureExitReason"/>.</summary>
public sealed record CaptureExited : CaptureEvent
{
    public required string Reason { get; init; }

    public required int Segments { get; init; }

    public required double TotalDurationSeconds { get; init; }

    public required long TotalBytes { get; init; }

    public string? Detail { get; init; }
}
