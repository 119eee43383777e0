using Recording.Durable.Activities;
using Recording.Durable.Backends;
using Recording.Durable.Backends.Sqlite;
using Recording.Durable.Dispatch;
using Recording.Durable.Orchestrations;
using Recording.Durable.Registry;

namespace Recording.Durable.Hosting;

/// <summary>Configures the engine for <see cref="DurableEngineServiceCollectionExtensions.AddDurableEngine"/>: backend, orchestrators, activities, worker.</summary>
public sealed class DurableEngineBuilder
{
    internal Func<IServiceProvider, IDurableBackend>? BackendFactory { get; private set; }

    public DurableTaskRegistry Registry { get; } = new();

    public DurableWorkerOptions WorkerOptions { get; } = new();

    /// <summary>True (default): a hosted service runs the pull-mode worker. False: the app drives the worker itself (push mode from a queue trigger).</summary>
    public bool RunWorkerInBackground { get; set; } = true;

    /// <summary>Uses the embedded SQLite backend (the default for local runs).</summary>
    public DurableEngineBuilder UseSqlite(Action<SqliteDurableBackendOptions>? configure = null)
    {
        var options = new SqliteDurableBackendOptions();
        configure?.Invoke(options);
        BackendFactory = _ => new SqliteDurableBackend(options);
        return this;
    }

    /// <summary>Uses any backend (Azure Storage, or a test wrapper).</summary>
    public DurableEngineBuilder UseBackend(Func<IServiceProvider, IDurableBackend> factory)
    {
        BackendFactory = factory;
        return this;
    }

    public DurableEngineBuilder AddOrchestrator<T>(string? name = null)
        where T : class, ITaskOrchestrator
    {
        Registry.AddOrchestrator<T>(name);
        return this;
    }

    public DurableEngineBuilder AddActivity<T>(string? name = null)
        where T : class, ITaskActivity
    {
        Registry.AddActivity<T>(name);
        return this;
    }

    public DurableEngineBuilder ConfigureWorker(Action<DurableWorkerOptions> configure)
    {
        configure(WorkerOptions);
        return this;
    }
}
