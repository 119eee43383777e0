using Microsoft.Extensions.DependencyInjection.Extensions;
using Recording.Functions.Hosting;

namespace Recording.Functions.Jobs;

/// <summary>Registers the queue-driven job path: the capture and media job runners, and the events listener (a hosted service that also serves push mode).</summary>
public static class QueueCaptureJobServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="QueueCaptureJobOptions"/> (section <c>Recording:Jobs:Queue</c>), validated at startup, and registers
    /// <see cref="QueueCaptureJobRunner"/> as the <see cref="ICaptureJobRunner"/>, <see cref="QueueMediaJobRunner"/> as the
    /// <see cref="IMediaJobRunner"/>, and <see cref="QueueCaptureEventListener"/>,
    /// which needs an <see cref="ICaptureEventSink"/> registered by the caller.
    /// </summary>
    public static IServiceCollection AddQueueCaptureJobs(this IServiceCollection services, Action<QueueCaptureJobOptions>? configure = null)
    {
        services.AddValidatedOptions<QueueCaptureJobOptions>(QueueCaptureJobOptions.Section);
        if (configure is not null)
        {
            services.PostConfigure(configure);
        }

        services.RemoveAll<ICaptureJobRunner>();
        services.AddSingleton<ICaptureJobRunner, QueueCaptureJobRunner>();
        services.RemoveAll<IMediaJobRunner>();
        services.AddSingleton<IMediaJobRunner, QueueMediaJobRunner>();
        services.TryAddSingleton<QueueCaptureEventListener>();
        services.AddHostedService(provider => provider.GetRequiredService<QueueCaptureEventListener>());
        return services;
    }
}
