using Recording.TestSupport;

namespace Recording.Functions.Tests.Jobs;

/// <summary>Finds a media worker that a runner started, and kills it the way the end of its container would.</summary>
internal static class MediaWorkerProcess
{
    /// <summary>The media worker among <paramref name="parent"/>'s children whose command line holds <paramref name="text"/>.</summary>
    public static async Task<int> FindAsync(int parent, string text)
    {
        var worker = 0;
        await Eventually.UntilAsync(() => (worker = Of(parent, text) ?? 0) != 0, TimeSpan.FromSeconds(60), "the media worker process");
        return worker;
    }

    private static int? Of(int parent, string text)
    {
        foreach (var pid in ProcessTable.ChildrenOf(parent))
        {
            try
            {
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                if (commandLine.Contains("media-job", StringComparison.Ordinal) && commandLine.Contains(text, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Exited while we were reading.
            }
        }

        return null;
    }

    /// <summary>
    /// Kills a worker and whatever it runs (ffprobe, ffmpeg), as the end of its container would: frozen first, so that it cannot
    /// see a child die and report the job failed, then its children, then itself. Found by <see cref="FindAsync"/> within a poll
    /// of its start, it is still starting up (the .NET runtime alone takes longer than a poll), so it has no result yet.
    /// </summary>
    public static void Kill(int worker)
    {
        Posix.Kill(worker, Posix.SigStop);
        foreach (var child in ProcessTable.ChildrenOf(worker))
        {
            Posix.Kill(child, Posix.SigKill);
        }

        Posix.Kill(worker, Posix.SigKill);
    }
}
