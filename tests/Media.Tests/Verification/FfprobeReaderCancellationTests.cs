using System.Diagnostics;
using Recording.Media.Verification;
using Recording.TestSupport;

namespace Recording.Media.Tests.Verification;

/// <summary>A cancelled probe ends its ffprobe instead of leaving it behind.</summary>
public sealed class FfprobeReaderCancellationTests
{
    [Fact]
    public async Task Cancel_WhileFfprobeWaitsOnItsInput_EndsThatFfprobe()
    {
        // A FIFO nobody writes: ffprobe blocks opening it for as long as it lives, as on a stalled network mount.
        var fifo = Path.Combine(Directory.CreateTempSubdirectory("probe-cancel-").FullName, "never-written.mp4");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        using var cancel = new CancellationTokenSource();
        var probing = new FfprobeReader().SignatureAsync(fifo, cancel.Token);
        try
        {
            await Eventually.UntilAsync(() => ProcessTable.ProgramsWorkingIn("ffprobe", fifo).Count == 1, TimeSpan.FromSeconds(20), "ffprobe to open the FIFO");

            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probing);
            await Eventually.UntilAsync(() => ProcessTable.ProgramsWorkingIn("ffprobe", fifo).Count == 0, TimeSpan.FromSeconds(10), "the cancelled ffprobe to end");
        }
        finally
        {
            foreach (var pid in ProcessTable.ProgramsWorkingIn("ffprobe", fifo))
            {
                Process.GetProcessById(pid).Kill();
            }
        }
    }
}
