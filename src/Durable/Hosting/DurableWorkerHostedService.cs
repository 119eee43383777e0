using Microsoft.Extensions.Hosting;
using Recording.Durable.Backends;
using Recording.Durable.Dispatch;

namespace Recording.Durable.Hosting;

/// <summary>Creates the backend's store if missing and runs the pull-mode worker for the lifetime of the host.</summary>
internal sealed class DurableWorkerHostedService(IDurableBackend backend, DurableWorker worker) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await backend.CreateIfNotExistsAsync(cancellationToken);
        await worker.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => worker.StopAsync(cancellationToken);
}
