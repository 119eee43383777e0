namespace Recording.TestSupport;

/// <summary>
/// s3rver (an S3-compatible server, from the committed npm lock file) on a free loopback port, storing in a temp folder.
/// Beware (DESIGN.md): it stores AWSSDK v4 chunk-signed uploads corrupted unless chunk encoding is off; tests compare bytes.
/// </summary>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly ManagedProcess process;
    private readonly string directory;

    private S3rverServer(ManagedProcess process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public string Directory => directory;

    /// <summary>Starts s3rver with the given buckets already created.</summary>
    public static async Task<S3rverServer> StartAsync(params string[] buckets)
    {
        var port = FreePort.Next();
        var directory = System.IO.Directory.CreateTempSubdirectory("s3rver-").FullName;
        var args = new List<string>
        {
            "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--directory", directory, "--silent",
        };
        foreach (var bucket in buckets)
        {
            args.AddRange(["--configure-bucket", bucket]);
        }

        var process = ManagedProcess.Start(Path.Combine(RepositoryPaths.NodeBin, "s3rver"), args);
        var server = new S3rverServer(process, directory, port);
        await Eventually.UntilAsync(() => process.HasExited || NginxRtmpServer.PortIsOpen(port), TimeSpan.FromSeconds(30), "s3rver to listen");
        if (process.HasExited)
        {
            throw new InvalidOperationException("s3rver exited: " + process.Tail());
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
