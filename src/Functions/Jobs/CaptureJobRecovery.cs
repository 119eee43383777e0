namespace Recording.Functions.Jobs;

/// <summary>At startup, lets the registered capture job runner re-attach to the jobs an earlier run of the service left running (when it keeps any locally).</summary>
public sealed class CaptureJobRecovery(ICaptureJobRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        runner is IHostedService local ? local.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        runner is IHostedService local ? local.StopAsync(cancellationToken) : Task.CompletedTask;
}
