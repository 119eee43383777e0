using System.Text.Json;
using Recording.Media.Capture;
using Recording.Media.Manifest;

namespace Recording.Worker.Commands;

/// <summary>
/// One capture at a time per recording folder, across job executions: an exclusive lock on <c>.job.lock</c> (flock, which the
/// kernel releases when the process dies, even by kill -9), the holder's start message id in <c>.job.json</c>, and
/// <c>.job.done</c> (the final exited event) once a job has finished, so a late duplicate start never records again.
/// </summary>
internal sealed class JobFolderClaim : IDisposable
{
    public const string LockFile = ".job.lock";
    public const string ClaimFile = ".job.json";
    public const string DoneFile = ".job.done";

    private static readonly JsonSerializerOptions Json = new(ManifestJson.Options) { WriteIndented = false };

    private readonly FileStream handle;
    private readonly string directory;

    private JobFolderClaim(FileStream handle, string directory)
    {
        this.handle = handle;
        this.directory = directory;
    }

    /// <summary>Takes the folder for <paramref name="messageId"/>, or returns null with the message id of the execution that holds it.</summary>
    public static (JobFolderClaim? Claim, string? HeldBy) TryTake(string directory, string messageId, string executionId)
    {
        Directory.CreateDirectory(directory);
        FileStream handle;
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: a second process (or a second claim) fails at once.
            handle = new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return (null, ReadHolder(directory));
        }

        File.WriteAllText(Path.Combine(directory, ClaimFile), JsonSerializer.Serialize(new { messageId, executionId, claimedAt = DateTimeOffset.UtcNow }, Json));
        return (new JobFolderClaim(handle, directory), null);
    }

    /// <summary>The exited event of a job that finished on this folder, or null.</summary>
    public static CaptureExited? ReadDone(string directory)
    {
        var path = Path.Combine(directory, DoneFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CaptureEvent>(File.ReadAllText(path), Json) as CaptureExited;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Marks the job finished (after its exited event was sent, before its start message is deleted).</summary>
    public void MarkDone(CaptureExited exited)
    {
        var path = Path.Combine(directory, DoneFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize<CaptureEvent>(exited, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public void Dispose() => handle.Dispose();

    private static string? ReadHolder(string directory)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, ClaimFile)));
            return document.RootElement.TryGetProperty("messageId", out var id) ? id.GetString() : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }
}
