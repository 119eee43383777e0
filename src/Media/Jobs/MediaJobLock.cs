namespace Recording.Media.Jobs;

/// <summary>
/// One running copy of a job at a time: an exclusive flock on the job's lock file, held while it runs. The kernel releases it
/// when the holder dies (even by kill -9), so "can the lock be taken" is also how a supervisor asks whether the job is alive.
/// </summary>
public sealed class MediaJobLock : IDisposable
{
    private readonly FileStream handle;

    private MediaJobLock(FileStream handle) => this.handle = handle;

    /// <summary>Takes the job's lock, or returns null while another process holds it.</summary>
    public static MediaJobLock? TryTake(MediaJobRequest request)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(request.LockPath)!);
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: a second holder fails at once.
            return new MediaJobLock(new FileStream(request.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Takes the job's lock, trying again for up to <paramref name="patience"/> while it is held: a supervisor's probe
    /// (<see cref="IsHeld"/>) holds it for an instant, and must not make a starting worker give up. Null if it stays held.
    /// </summary>
    public static async Task<MediaJobLock?> TakeAsync(MediaJobRequest request, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            if (TryTake(request) is { } taken)
            {
                return taken;
            }

            if (DateTime.UtcNow >= until)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>Whether a live process holds the job's lock (the probe takes and releases it at once).</summary>
    public static bool IsHeld(MediaJobRequest request)
    {
        using var probe = TryTake(request);
        return probe is null;
    }

    public void Dispose() => handle.Dispose();
}
