namespace Recording.TestSupport;

/// <summary>
/// s3rver (an S3-compatible server, from the committed npm lock file) on a free loopback port, storing in a temp folder.
/// Beware (DESIGN.md): it stores AWSSDK v4 chunk-signed uploads corrupted unless chunk encoding is off; tests compare bytes.
/// </summary>
/// <remarks>
/// <see cref="StopAsync"/> and <see cref="RestartAsync"/> make a storage outage: the same port and the same folder come back,
/// so clients configured with <see cref="Endpoint"/> reconnect and the objects stored before the outage are still there.
/// </remarks>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan ListenDeadline = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<string> arguments;
    private readonly string directory;
    private ManagedProcess? process;

    private S3rverServer(IReadOnlyList<string> arguments, string directory, int port)
    {
        this.arguments = arguments;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public string Directory => directory;

    /// <summary>False between <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public bool IsRunning => process is { HasExited: false };

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
            // Creating a bucket that exists is a no-op for s3rver, so a restart keeps its objects.
            args.AddRange(["--configure-bucket", bucket]);
        }

        var server = new S3rverServer(args, directory, port);
        try
        {
            await server.LaunchAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Kills s3rver (as a crash or a network cut would end it) and waits until its port refuses connections.</summary>
    public async Task StopAsync()
    {
        if (process is { } running)
        {
            process = null;
            await running.DisposeAsync();
        }

        await Eventually.UntilAsync(() => !NginxRtmpServer.PortIsOpen(Port), ListenDeadline, "s3rver's port to close");
    }

    /// <summary>Starts s3rver again on the same port and folder (stopping it first if it runs) and waits until it listens.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { } running)
        {
            process = null;
            await running.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task LaunchAsync()
    {
        // s3rver's ListObjectsV2 continuation tokens are DES-encrypted, which OpenSSL 3 keeps in its legacy provider: without
        // it, every listing that needs a second page answers 500.
        var nodeOptions = string.Join(' ', new[] { Environment.GetEnvironmentVariable("NODE_OPTIONS"), "--openssl-legacy-provider" }.Where(o => !string.IsNullOrEmpty(o)));
        var started = ManagedProcess.Start(Path.Combine(RepositoryPaths.NodeBin, "s3rver"), arguments, environment: new Dictionary<string, string> { ["NODE_OPTIONS"] = nodeOptions });
        started.EndWithTestProcess();
        try
        {
            await Eventually.UntilAsync(() => started.HasExited || NginxRtmpServer.PortIsOpen(Port), ListenDeadline, "s3rver to listen");
            if (started.HasExited)
            {
                throw new InvalidOperationException("s3rver exited: " + started.Tail());
            }
        }
        catch
        {
            // Never leave a node process behind when s3rver does not come up (or comes up too late).
            await started.DisposeAsync();
            throw;
        }

        process = started;
    }
}
