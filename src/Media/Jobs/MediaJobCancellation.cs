using System.Text.Json;
using Recording.Media.Manifest;

namespace Recording.Media.Jobs;

/// <summary>
/// How the service ends a job it no longer wants (its time ran out, its composition was canceled): a marker beside the output
/// folder (<see cref="MediaJobRequest.CancelPath"/>) that names the job and why, on the file system the service and the worker
/// share, as the result file is. A worker that runs the job sees it within <see cref="MediaJobCancelWatch"/>'s interval and
/// stops ffmpeg; a job canceled before any worker took it (still in the queue) ends as soon as one does.
/// </summary>
/// <remarks>
/// A file rather than a message: the job may be in a queue, in a Container Apps execution or a child process, and the one thing
/// all of them share with the service is the folder. The marker names the job id, so a new attempt at the same output (after a
/// retryable failure) is not canceled by an old marker; only a terminated recording's markers name none.
/// </remarks>
public static class MediaJobCancellation
{
    /// <summary>Asks the job's worker to stop and report it canceled; harmless when the job has ended or never started.</summary>
    public static Task RequestAsync(MediaJobRequest request, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(request.CancelPath, new CancelMarker(request.JobId, reason), cancellationToken);
    }

    /// <summary>
    /// Cancels every attempt, past or future, at the jobs whose output folders are given (a terminated recording's, whose
    /// orchestration no longer knows which attempt runs). Folders whose parent does not exist are skipped: no job ran there.
    /// </summary>
    public static async Task RequestEveryAttemptAsync(IEnumerable<string> outputDirectories, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputDirectories);
        foreach (var output in outputDirectories)
        {
            var path = MediaJobRequest.CancelPathOf(output);
            if (Directory.Exists(Path.GetDirectoryName(path)))
            {
                await WriteAsync(path, new CancelMarker(null, reason), cancellationToken);
            }
        }
    }

    /// <summary>Why the job was canceled, or null while no marker names it (or every attempt at its output).</summary>
    public static async Task<string?> ReasonAsync(MediaJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var marker = JsonSerializer.Deserialize<CancelMarker>(await File.ReadAllTextAsync(request.CancelPath, cancellationToken), ManifestJson.Options);
            return marker is not null && (marker.JobId is null || marker.JobId == request.JobId) ? marker.Reason : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The error of a canceled job's result; the service shows it as the job's end.</summary>
    public static string Error(string reason) => $"canceled: {reason}";

    private static async Task WriteAsync(string path, CancelMarker marker, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(marker, ManifestJson.Options), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The job canceled (null: every attempt at the output) and why.</summary>
    private sealed record CancelMarker(string? JobId, string Reason);
}
