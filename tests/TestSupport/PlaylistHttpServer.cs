using System.Net;
using System.Text;

namespace Recording.TestSupport;

/// <summary>A real HTTP server on loopback serving fixed playlists, for the HLS pre-flight and ffmpeg's own whitelist.</summary>
public sealed class PlaylistHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, string> files;
    private readonly Task loop;

    public PlaylistHttpServer(Dictionary<string, string> files)
    {
        this.files = files;
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public int Requests { get; private set; }

    public string UrlFor(string name) => $"http://127.0.0.1:{Port}/{name}";

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close unregisters the prefix a second time, and the managed HttpListener then binds the port
        // again to do it, which fails with "Address already in use" once another test has taken the freed port.
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests++;
            var name = context.Request.Url!.AbsolutePath.TrimStart('/');
            if (files.TryGetValue(name, out var body))
            {
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "application/vnd.apple.mpegurl";
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
