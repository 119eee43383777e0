using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;
using Recording.Functions.Network;
using Recording.Functions.Orchestration;

namespace Recording.Functions.Notifications;

/// <summary>Registers the notifier, its webhook HTTP client, the Event Grid publisher and the delivery log (SQLite unless already registered).</summary>
public static class NotificationRegistration
{
    public const string WebhookHttpClient = "webhooks";

    public static IServiceCollection AddRecordingNotifications(this IServiceCollection services)
    {
        services.AddValidatedOptions<NotificationOptions>(NotificationOptions.Section);
        // The engine's registration puts the log in Azure Tables when the engine runs there.
        services.TryAddSingleton<IDeliveryLog, SqliteDeliveryLog>();
        services.AddHttpClient<WebhookDeliveryClient>(WebhookHttpClient, http =>
        {
            // Per-attempt timeouts come from NotificationOptions; this only stops HttpClient's own 100 s default from cutting in first.
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.UserAgent.ParseAdd("Recording-Webhooks/1.0");
        }).ConfigurePrimaryHttpMessageHandler(services => TemplateEndpointConnections.CreateHandler(
            services.GetRequiredService<IOptions<RecordingOrchestrationOptions>>().Value.AllowPrivateNetworks));
        // A deployment that records only public sources delivers only to public receivers (and stores only to public endpoints).
        services.TryAddSingleton<TemplateEndpointConnections>();
        services.AddSingleton<EventGridTopicPublisher>();
        // Transient like the typed HttpClient it holds, so handler rotation by IHttpClientFactory is not defeated.
        services.AddTransient<RecordingNotifier>();
        return services;
    }
}
