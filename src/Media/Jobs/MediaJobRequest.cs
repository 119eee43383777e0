using System.Text.Json.Serialization;

namespace Recording.Media.Jobs;

/// <summary>
/// One media job, as the service hands it to a worker (a request file locally, a queue message in Azure). The worker writes
/// the outcome to <see cref="ResultPath"/>; the service reads it there, so both must see the same file system (the same
/// machine locally, the same Azure Files share in Azure).
/// </summary>
public sealed record MediaJobRequest
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>
    /// Names one attempt at the job; the result carries it back. A restart after the worker died keeps it; a new attempt after a
    /// retryable failure gets a new one, so that a late reply of the failed attempt cannot pass for the new attempt's.
    /// </summary>
    public required string JobId { get; init; }

    public required MediaJobOperation Operation { get; init; }

    /// <summary>
    /// The file to work from: the recording's spliced MP4, for <see cref="MediaJobOperation.Splice"/> the capture's manifest.json,
    /// for <see cref="MediaJobOperation.Compose"/> the timeline JSON.
    /// </summary>
    public required string Input { get; init; }

    /// <summary>The folder the outputs go to; emptied when the job starts, so a retry never mixes with a killed run's files.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>For <see cref="MediaJobOperation.Ladder"/>: the rungs by short side (those above the source are skipped).</summary>
    public IReadOnlyList<int> Rungs { get; init; } = [];

    public string X264Preset { get; init; } = "veryfast";

    /// <summary>For <see cref="MediaJobOperation.Splice"/> and <see cref="MediaJobOperation.Compose"/>: the output file's name in the output folder; its extension picks the container.</summary>
    public string OutputFileName { get; init; } = "spliced.mp4";

    /// <summary>For <see cref="MediaJobOperation.Thumbnails"/>: one image every interval.</summary>
    public TimeSpan ThumbnailInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>For <see cref="MediaJobOperation.Compose"/>: the layout, size and role filter.</summary>
    public MediaJobComposite? Composite { get; init; }

    /// <summary>
    /// Returned untouched in the worker's <see cref="MediaJobReply"/> (the service sets the recording's id), so that the service
    /// hears of the end at once rather than at its next check; null asks for no reply. Where the reply goes is the worker's
    /// setting, never the message's.
    /// </summary>
    public string? CorrelationId { get; init; }

    /// <summary>Beside the output folder rather than in it, so that emptying the folder never removes it.</summary>
    [JsonIgnore]
    public string ResultPath => Path.TrimEndingDirectorySeparator(OutputDirectory) + ".result.json";

    /// <summary>Held (flock) by the worker that runs the job; the kernel releases it when that process dies, even by kill -9.</summary>
    [JsonIgnore]
    public string LockPath => Path.TrimEndingDirectorySeparator(OutputDirectory) + ".lock";

    /// <summary>Written by the service to end a job it no longer wants (<see cref="MediaJobCancellation"/>); beside the folder, as the result is.</summary>
    [JsonIgnore]
    public string CancelPath => CancelPathOf(OutputDirectory);

    /// <summary>The cancel marker's path of any job whose outputs go to <paramref name="outputDirectory"/>.</summary>
    public static string CancelPathOf(string outputDirectory) => Path.TrimEndingDirectorySeparator(outputDirectory) + ".cancel.json";
}
