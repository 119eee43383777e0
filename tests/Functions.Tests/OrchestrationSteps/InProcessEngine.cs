using Microsoft.Extensions.Logging;
using Recording.Durable.Backends.Sqlite;
using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.Registry;
using Recording.Functions.Orchestration;

namespace Recording.Functions.Tests.OrchestrationSteps;

/// <summary>
/// The durable engine on a SQLite file of its own, with a worker of this build's orchestrator version polling fast, as the
/// service runs it; its log is kept for a test's failure message. The folder goes with it.
/// </summary>
internal sealed class InProcessEngine : IAsyncDisposable
{
    private readonly string folder;
    private readonly DurableWorker worker;

    private InProcessEngine(string folder, SqliteDurableBackend backend, DurableWorker worker, CapturedLogs logs)
    {
        this.folder = folder;
        this.worker = worker;
        Backend = backend;
        Logs = logs;
        Client = new DurableTaskClient(backend, worker.Signal);
    }

    public SqliteDurableBackend Backend { get; }

    public DurableTaskClient Client { get; }

    public CapturedLogs Logs { get; }

    /// <summary>Where a test may put files of its own, removed with the engine.</summary>
    public string Folder => folder;

    public static async Task<InProcessEngine> StartAsync(DurableTaskRegistry registry)
    {
        var folder = Directory.CreateTempSubdirectory("in-process-engine-").FullName;
        var backend = new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = Path.Combine(folder, "engine.db") });
        await backend.CreateIfNotExistsAsync();
        var logs = new CapturedLogs();
        var options = new DurableWorkerOptions
        {
            MinPollingInterval = TimeSpan.FromMilliseconds(5),
            MaxPollingInterval = TimeSpan.FromMilliseconds(50),
            Versioning = { DefaultVersion = OrchestratorCodeVersion.Current },
        };
        var worker = new DurableWorker(backend, registry, options, loggerFactory: new LoggerFactory([logs]));
        await worker.StartAsync();
        return new InProcessEngine(folder, backend, worker, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await worker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
