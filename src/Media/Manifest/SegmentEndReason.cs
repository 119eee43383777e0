namespace Recording.Media.Manifest;

/// <summary>Why a segment closed; tells a reader whether the next segment follows without a gap.</summary>
public enum SegmentEndReason
{
    /// <summary>The segment reached its configured length and the next one started on the following keyframe.</summary>
    Rotation,

    /// <summary>The source dropped; a gap follows unless this was the last segment.</summary>
    SourceLost,

    /// <summary>A graceful stop (request, signal) finalised it.</summary>
    Stop,

    /// <summary>The maximum duration of the recording was reached.</summary>
    MaxDuration,

    /// <summary>Free disk fell below the configured minimum.</summary>
    DiskLow,

    /// <summary>The segment reached the optional maximum size.</summary>
    SizeLimit,

    /// <summary>The writer crashed; the entry was rebuilt by scanning and probing the file.</summary>
    CrashRecovery,
}
