using System.Net;
using System.Net.Sockets;

namespace Recording.TestSupport;

/// <summary>Finds a free TCP port on loopback, so that fixtures never collide with each other or with a developer's services.</summary>
public static class FreePort
{
    // The kernel may hand the same ephemeral port to two listeners opened one after the other once the first is closed
    // (seen with Azurite's queue and table ports): never give out a port twice in one test process.
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
