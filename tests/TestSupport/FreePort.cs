using System.Net;
using System.Net.Sockets;

namespace Recording.TestSupport;

/// <summary>Finds a free TCP port on loopback, so that fixtures never collide with each other or with a developer's services.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
