using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recording.Durable.Backends;
using Recording.Durable.Client;
using Recording.Durable.Dispatch;
using Recording.Durable.Registry;

namespace Recording.Durable.Hosting;

/// <summary>Registers the engine in DI: backend, registry, wake-up signal, <see cref="DurableTaskClient"/>, <see cref="DurableWorker"/> and its hosted service.</summary>
public static class DurableEngineServiceCollectionExtensions
{
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, Action<DurableEngineBuilder> configure)
    {
        var builder = new DurableEngineBuilder();
        configure(builder);
        builder.WorkerOptions.Validate();
        var backendFactory = builder.BackendFactory
            ?? throw new InvalidOperationException("AddDurableEngine: choose a backend with UseSqlite(...) or UseBackend(...).");

        services.AddSingleton(builder.Registry);
        services.AddSingleton(backendFactory);
        services.AddSingleton<WorkSignal>();
        services.AddSingleton(sp => new DurableTaskClient(sp.GetRequiredService<IDurableBackend>(), sp.GetRequiredService<WorkSignal>(), sp.GetService<TimeProvider>(), builder.WorkerOptions.Versioning.DefaultVersion));
        services.AddSingleton(sp => new DurableWorker(
            sp.GetRequiredService<IDurableBackend>(),
            sp.GetRequiredService<DurableTaskRegistry>(),
            builder.WorkerOptions,
            sp.GetRequiredService<WorkSignal>(),
            sp,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        if (builder.RunWorkerInBackground)
        {
            services.AddHostedService<DurableWorkerHostedService>();
        }

        return services;
    }
}
