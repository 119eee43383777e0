using Microsoft.Extensions.Options;
using Recording.Functions.Orchestration;

namespace Recording.Functions.Network;

/// <summary>
/// How the service connects to endpoints a template names: a storage endpoint, an Event Grid topic, webhooks. With
/// Recording:Orchestration:AllowPrivateNetworks off, only to public addresses (<see cref="PublicAddressConnector"/>), through
/// one shared handler for the SDKs (<see cref="Handler"/>) and one per webhook client (<see cref="CreateHandler"/>); with it on,
/// <see cref="Handler"/> is null and each SDK keeps its own transport.
/// </summary>
public sealed class TemplateEndpointConnections(IOptions<RecordingOrchestrationOptions> options) : IDisposable
{
    private readonly Lazy<SocketsHttpHandler?> shared = new(() => options.Value.AllowPrivateNetworks ? null : CreateHandler(allowPrivateNetworks: false));

    public bool AllowPrivateNetworks => options.Value.AllowPrivateNetworks;

    /// <summary>The handler the storage and Event Grid SDKs go through, or null for their own.</summary>
    public HttpMessageHandler? Handler => shared.Value;

    public static SocketsHttpHandler CreateHandler(bool allowPrivateNetworks)
    {
        // Pooled connections are renewed every 5 minutes, so that a DNS change is seen (and checked) again.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (!allowPrivateNetworks)
        {
            handler.ConnectCallback = PublicAddressConnector.ConnectAsync;
        }

        return handler;
    }

    public void Dispose()
    {
        if (shared.IsValueCreated)
        {
            shared.Value?.Dispose();
        }
    }
}
