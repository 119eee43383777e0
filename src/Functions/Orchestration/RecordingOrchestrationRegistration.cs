using Azure.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.Hosting;
using Recording.Functions.Compositions;
using Recording.Functions.Engine;
using Recording.Functions.Hosting;
using Recording.Functions.Jobs;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Functions.Templates;

namespace Recording.Functions.Orchestration;

/// <summary>
/// Registers the durable engine (SQLite or Azure Storage), the recording orchestrator and activities, the capture job runner
/// (a local child process, or the queue-driven job when <c>Recording:Jobs:Queue</c> names a storage account) and the services on them.
/// </summary>
public static class RecordingOrchestrationRegistration
{
    public static IServiceCollection AddRecordingOrchestration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EngineOptions>(EngineOptions.Section);
        services.AddValidatedOptions<RecordingOrchestrationOptions>(RecordingOrchestrationOptions.Section);
        services.AddValidatedOptions<LocalCaptureOptions>(LocalCaptureOptions.Section);

        services.TryAddSingleton<RecordingWorkspace>();
        services.TryAddSingleton<RecordingDestinations>();
        services.TryAddSingleton<SplicedAssetUploader>();
        services.TryAddSingleton<HlsAssetUploader>();
        services.TryAddSingleton<ICaptureEventSink, OrchestrationCaptureEventSink>();
        services.TryAddSingleton<LocalProcessCaptureJobRunner>();
        services.TryAddSingleton<ICaptureJobRunner>(sp => sp.GetRequiredService<LocalProcessCaptureJobRunner>());
        services.AddHostedService<CaptureJobRecovery>();
        services.TryAddSingleton<IMediaJobEventSink, OrchestrationMediaJobEventSink>();
        services.TryAddSingleton<IMediaJobRunner, LocalProcessMediaJobRunner>();
        if (QueueCaptureJobOptions.IsConfiguredIn(configuration))
        {
            // Capture runs as the queue-driven job (the Container Apps job, or a worker `job` process locally). With only an
            // endpoint configured, the service authenticates as its managed identity; the credential cannot come from settings.
            services.AddQueueCaptureJobs(queue =>
            {
                if (string.IsNullOrWhiteSpace(queue.ConnectionString))
                {
                    queue.Credential ??= new DefaultAzureCredential();
                }
            });
        }

        services.TryAddSingleton<AssetUrlSigner>();
        services.TryAddSingleton<IRecordingService, DurableRecordingService>();
        services.TryAddSingleton<CompositionTrackResolver>();
        services.TryAddSingleton<ICompositionService, DurableCompositionService>();
        services.TryAddSingleton<IStorageValidation, DestinationStorageValidation>();

        // The engine is configured before the host runs, so its settings are read (and checked) here rather than through IOptions.
        var engine = configuration.GetSection(EngineOptions.Section).Get<EngineOptions>() ?? new EngineOptions();
        var local = configuration.GetSection(LocalDataOptions.Section).Get<LocalDataOptions>() ?? new LocalDataOptions();
        // Built once, when first needed (after the settings are checked): the engine and the service's tables share it, and its credential.
        var azureStorage = new Lazy<AzureStorageBackendOptions>(() => engine.ToAzureStorageBackendOptions(() => new DefaultAzureCredential()));
        if (engine.Backend == EngineOptions.AzureStorageBackend)
        {
            // The service's own state goes where the engine's does, so that no instance keeps any of it in a local file.
            services.TryAddSingleton(_ => new ServiceTables(azureStorage.Value));
            services.TryAddSingleton<ITemplateStore, TableTemplateStore>();
            services.TryAddSingleton<IDeliveryLog, TableDeliveryLog>();
        }

        services.AddDurableEngine(builder =>
        {
            if (engine.Backend == EngineOptions.AzureStorageBackend)
            {
                // Without a connection string, the app's managed identity (the same credential chain as the job queues').
                builder.UseBackend(_ => new AzureStorageBackend(azureStorage.Value));
            }
            else
            {
                var path = Path.GetFullPath(Path.Combine(local.DataDirectory, engine.SqliteFile));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                builder.UseSqlite(sqlite => sqlite.DatabasePath = path);
            }

            if (engine.ToVersioning() is { } versioning)
            {
                builder.ConfigureWorker(worker => worker.Versioning = versioning);
            }

            builder.AddOrchestrator<RecordingOrchestrator>()
                .AddActivity<StartCapture>()
                .AddActivity<StopCapture>()
                .AddActivity<UploadSegment>()
                .AddActivity<AppendToSplice>()
                .AddActivity<FinishSplice>()
                .AddActivity<SpliceSegments>()
                .AddActivity<PackageSegmentHls>()
                .AddActivity<FinishHls>()
                .AddActivity<PackageHls>()
                .AddActivity<StartMediaJob>()
                .AddActivity<CancelMediaJob>()
                .AddActivity<UploadLadder>()
                .AddActivity<UploadSplice>()
                .AddActivity<UploadHls>()
                .AddActivity<UploadThumbnails>()
                .AddActivity<NotifyRecording>()
                .AddActivity<ReleaseLocalFiles>()
                .AddActivity<WakeWaitingCompositions>();
            builder.AddOrchestrator<CompositionOrchestrator>()
                .AddActivity<ResolveCompositionTracks>()
                .AddActivity<FetchCompositionTracks>()
                .AddActivity<UploadComposite>();
        });
        return services;
    }

}
