namespace Recording.Media.Manifest;

/// <summary>A span of wall-clock time between two segments in which nothing was recorded (the source was away).</summary>
public sealed record ManifestGap
{
    /// <summary>Index of the segment before the gap.</summary>
    public required int AfterIndex { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public double DurationSeconds => Math.Round((EndedAt - StartedAt).TotalSeconds, 3);
}
