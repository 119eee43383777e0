namespace Recording.Functions.Notifications;

/// <summary>
/// The <c>data</c> of every recording event. <see cref="Sequence"/> counts the recording's events from 1 and is assigned by
/// the orchestrator (deterministically, so a replayed or retried notification keeps its number and its event id).
/// </summary>
public sealed record RecordingEventData
{
    /// <summary>The recording the event is about; absent from a composition's events, which carry <see cref="CompositionId"/>.</summary>
    public string? RecordingId { get; init; }

    /// <summary>The composition a <c>composition.*</c> event is about.</summary>
    public string? CompositionId { get; init; }

    public required long Sequence { get; init; }

    /// <summary>The caller's stream or room id, when the start request gave one.</summary>
    public string? StreamId { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>The object key of the file the event is about (a segment, an asset), in the destination.</summary>
    public string? FileKey { get; init; }

    public long? SizeBytes { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>The asset kind for <c>recording.asset.ready</c>: spliced, hls, renditions/720p, thumbnails, ...</summary>
    public string? AssetKind { get; init; }

    /// <summary>A presigned URL for the file, when the destination can make one.</summary>
    public Uri? Url { get; init; }

    /// <summary>For <c>recording.failed</c>, <c>recording.interrupted</c> and <c>composition.failed</c>: what happened, phrased so a user can act on it.</summary>
    public string? Reason { get; init; }
}
