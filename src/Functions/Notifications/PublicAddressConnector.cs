using System.Net;
using System.Net.Sockets;
using Recording.Media.Sources;

namespace Recording.Functions.Notifications;

/// <summary>
/// Connects webhook deliveries to public addresses only (the rule capture sources follow, <see cref="SourcePolicy.IsNonPublic"/>).
/// The host is resolved here, when the connection is made, and the connection goes to an address that passed: a webhook URL
/// cannot reach the service's own network, the cloud's metadata endpoint included, not even through a name that resolves
/// to a public address when a template is checked and to a private one later (DNS rebinding).
/// </summary>
internal static class PublicAddressConnector
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var allowed = (await SourcePolicy.AddressesOfAsync(host, cancellationToken)).Where(a => !SourcePolicy.IsNonPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new PrivateAddressRefusedException(host);
        }

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
}
