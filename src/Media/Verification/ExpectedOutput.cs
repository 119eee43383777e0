namespace Recording.Media.Verification;

/// <summary>What an output must show under ffprobe before it is reported ready.</summary>
public sealed record ExpectedOutput
{
    /// <summary>The duration it should have; null to require only a positive duration.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>How far the probed duration may stray from <see cref="Duration"/>.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromSeconds(0.5);

    public bool Video { get; init; }

    public bool Audio { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    /// <summary>
    /// Where a stream-copied output joins its inputs (offsets from its start). When set and nothing was re-encoded, every
    /// packet is read but only the start and these joins are decoded (<see cref="DecodeCheck.RunAroundAsync"/>):
    /// the copied frames are the inputs' own, unchanged. Null: the whole output is decoded.
    /// </summary>
    public IReadOnlyList<TimeSpan>? CopyJoins { get; init; }

    /// <summary>
    /// With <see cref="CopyJoins"/>: false to decode the start and the joins without reading every other packet, for an
    /// output whose packets were read as it was built (a spliced file appended segment by segment).
    /// </summary>
    public bool ReadEveryPacket { get; init; } = true;

    /// <summary>Skip the full decode (only for intermediates that a later verified step decodes anyway).</summary>
    public bool SkipDecode { get; init; }
}
