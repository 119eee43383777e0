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

    public IReadOnlyList<MediaJobRendition> Renditions { get; init; } = [];

    public string? MasterPlaylistPath { get; init; }

    public string? PosterPath { get; init; }

    /// <summary>The thumbnails' WebVTT track; its folder holds the images and sprite sheets.</summary>
    public string? WebVttPath { get; init; }

    /// <summary>For a splice: the spliced file.</summary>
    public MediaJobFile? Spliced { get; init; }

    /// <summary>How the output was made: for a splice, which streams were copied and which re-encoded, and why.</summary>
    public string? Decision { get; init; }

    /// <summary>How long the job ran, for the job's log and metrics.</summary>
    public TimeSpan Elapsed { get; init; }

    public static MediaJobResult Failed(string jobId, string error, TimeSpan elapsed = default) => new() { JobId = jobId, Succeeded = false, Error = error, Elapsed = elapsed };
}
