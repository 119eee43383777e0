namespace Recording.Media.Jobs;

/// <summary>
/// What a media job made, written by the worker once every output is verified (or once the job has failed for good). The
/// paths are where the outputs lie for the upload that follows; parts that the operation does not make are empty.
/// </summary>
public sealed record MediaJobResult
{
    public required string JobId { get; init; }

    public required bool Succeeded { get; init; }

    /// <summary>Why the job failed: the field and the rule for bad input, else ffmpeg's or the verifier's message.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// For a failure: whether another attempt, as a new job, may succeed (ffmpeg killed, an I/O error). The service then starts
    /// one within its budget of starts; a failure that is not retryable (bad input, an output that does not verify) is final.
    /// </summary>
    public bool Retryable { get; init; }

    public IReadOnlyList<MediaJobRendition> Renditions { get; init; } = [];

    public string? MasterPlaylistPath { get; init; }

    public string? PosterPath { get; init; }

    /// <summary>The thumbnails' WebVTT track; its folder holds the images and sprite sheets.</summary>
    public string? WebVttPath { get; init; }

    /// <summary>For a splice, the spliced file; for an HLS VOD, its playlist (whose folder holds the segments).</summary>
    public MediaJobFile? Output { get; init; }

    /// <summary>How <see cref="Output"/> was made: which streams were copied and which re-encoded, and why.</summary>
    public string? Decision { get; init; }

    /// <summary>How long the job ran, for the job's log and metrics.</summary>
    public TimeSpan Elapsed { get; init; }

    public static MediaJobResult Failed(string jobId, string error, TimeSpan elapsed = default) => new() { JobId = jobId, Succeeded = false, Error = error, Elapsed = elapsed };
}
