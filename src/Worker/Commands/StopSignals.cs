using System.Runtime.InteropServices;

namespace Recording.Worker.Commands;

/// <summary>
/// SIGINT and SIGTERM as a cancellation. Handled rather than left to end the process, so that a command can stop ffmpeg
/// and finish as it must: finalise the open segment, remove a partial output, or hand a queue message back.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly PosixSignalRegistration sigint;
    private readonly PosixSignalRegistration sigterm;

    /// <param name="cancellationToken">Cancels the token too.</param>
    /// <param name="onSignal">Also run on a signal (on the signal's thread), e.g. to end a running job's own token.</param>
    public StopSignals(CancellationToken cancellationToken, Action? onSignal = null)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
            onSignal?.Invoke();
        }

        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => stop.Token;

    public bool IsCancellationRequested => stop.IsCancellationRequested;

    public void Dispose()
    {
        sigint.Dispose();
        sigterm.Dispose();
        stop.Dispose();
    }
}
