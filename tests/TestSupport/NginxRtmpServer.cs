namespace Recording.TestSupport;

/// <summary>
/// A real nginx with the RTMP module in the foreground on a free port: the live ingest that tests publish to
/// and capture from (rtmp://127.0.0.1:{port}/live/{stream}).
/// </summary>
public sealed class NginxRtmpServer : IAsyncDisposable
{
    private readonly ManagedProcess process;
    private readonly string directory;

    private NginxRtmpServer(ManagedProcess process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string UrlFor(string stream) => $"rtmp://127.0.0.1:{Port}/live/{stream}";

    public static async Task<NginxRtmpServer> StartAsync()
    {
        var port = FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("nginx-rtmp-").FullName;
        var module = new[] { "/usr/lib/nginx/modules/ngx_rtmp_module.so", "/usr/share/nginx/modules/ngx_rtmp_module.so" }
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("ngx_rtmp_module.so not found: run ./test.sh, which installs libnginx-mod-rtmp.");
        var config = $$"""
            load_module {{module}};
            daemon off;
            master_process off;
            worker_processes 1;
            error_log {{directory}}/error.log info;
            pid {{directory}}/nginx.pid;
            events { worker_connections 256; }
            rtmp {
                server {
                    listen 127.0.0.1:{{port}};
                    chunk_size 4096;
                    application live {
                        live on;
                        record off;
                        wait_key on;
                        wait_video on;
                    }
                }
            }
            """;
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        var process = ManagedProcess.Start("nginx", ["-p", directory, "-c", configPath, "-e", Path.Combine(directory, "error.log")]);
        var server = new NginxRtmpServer(process, directory, port);
        await Eventually.UntilAsync(() => PortIsOpen(port) || process.HasExited, TimeSpan.FromSeconds(10), "nginx-rtmp to listen");
        if (process.HasExited)
        {
            throw new InvalidOperationException("nginx exited: " + process.Tail() + ReadErrorLog(directory));
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static bool PortIsOpen(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string ReadErrorLog(string directory)
    {
        var path = Path.Combine(directory, "error.log");
        return File.Exists(path) ? "\n" + File.ReadAllText(path) : "";
    }
}
