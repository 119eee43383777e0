using System.Net;
using System.Net.Sockets;
using Recording.Media.Sources;

namespace Recording.Functions.Network;

/// <summary>
/// Connects to public addresses only (the rule capture sources follow, <see cref="SourcePolicy.IsNonPublic"/>), for every
/// endpoint a template names: webhooks, a storage endpoint, an Event Grid topic. The host is resolved here, when the
/// connection is made, and the connection goes to an address that passed: such an endpoint cannot reach the service's own
/// network, the cloud's metadata endpoint included, not even through a name that resolves to a public address when a
/// template is checked and to a private one later (DNS rebinding).
/// </summary>
internal static class PublicAddressConnector
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var allowed = await PublicAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The public addresses <paramref name="host"/> resolves to; throws <see cref="PrivateAddressRefusedException"/> when there are none.</summary>
    public static async Task<IPAddress[]> PublicAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var allowed = (await SourcePolicy.AddressesOfAsync(host, cancellationToken)).Where(a => !SourcePolicy.IsNonPublic(a)).ToArray();
        return allowed.Length > 0 ? allowed : throw new PrivateAddressRefusedException(host);
    }
}
