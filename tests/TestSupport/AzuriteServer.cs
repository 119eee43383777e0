namespace Recording.TestSupport;

/// <summary>
/// Azurite (Azure Storage emulator, from the committed npm lock file) on free loopback ports, in memory.
/// Started with --skipApiVersionCheck so the current SDKs' service versions are accepted (DESIGN.md machine facts).
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ManagedProcess process;
    private readonly SelfSignedTls? tls;

    private AzuriteServer(ManagedProcess process, int blobPort, int queuePort, int tablePort, SelfSignedTls? tls)
    {
        this.process = process;
        this.tls = tls;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>The HTTPS endpoints of an <see cref="StartWithOAuthAsync"/> server, for clients with a token credential.</summary>
    public Uri QueueServiceUri => new($"https://127.0.0.1:{QueuePort}/{AccountName}");

    public Uri TableServiceUri => new($"https://127.0.0.1:{TablePort}/{AccountName}");

    public Uri BlobServiceUri => new($"https://127.0.0.1:{BlobPort}/{AccountName}");

    /// <summary>An HTTP transport that trusts this server's own certificate (and no other); only for <see cref="StartWithOAuthAsync"/>.</summary>
    public Azure.Core.Pipeline.HttpPipelineTransport TrustingTransport => tls?.Transport ?? throw new InvalidOperationException("Azurite was started without HTTPS.");

    public static Task<AzuriteServer> StartAsync() => StartAsync(tls: null);

    /// <summary>
    /// Azurite over HTTPS (a self-signed certificate made here) with <c>--oauth basic</c>: it takes bearer tokens as Azure
    /// Storage takes a managed identity's, checking their issuer, audience and lifetime (not their signature).
    /// </summary>
    public static Task<AzuriteServer> StartWithOAuthAsync() => StartAsync(SelfSignedTls.Create());

    private static async Task<AzuriteServer> StartAsync(SelfSignedTls? tls)
    {
        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        // In memory, but run from a scratch folder so nothing it writes lands in the repository.
        var scratch = Directory.CreateTempSubdirectory("azurite-").FullName;
        List<string> arguments = [
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (tls is not null)
        {
            var (cert, key) = tls.WritePem(scratch);
            arguments.AddRange(["--oauth", "basic", "--cert", cert, "--key", key]);
        }

        var process = ManagedProcess.Start(Path.Combine(RepositoryPaths.NodeBin, "azurite"), arguments, workingDirectory: scratch);
        process.EndWithTestProcess();
        try
        {
            await Eventually.UntilAsync(
                () => process.HasExited || (NginxRtmpServer.PortIsOpen(blob) && NginxRtmpServer.PortIsOpen(queue) && NginxRtmpServer.PortIsOpen(table)),
                TimeSpan.FromSeconds(30),
                "Azurite to listen");
            if (process.HasExited)
            {
                throw new InvalidOperationException("Azurite exited: " + process.Tail());
            }
        }
        catch (Exception)
        {
            // Never leave a node process behind when Azurite does not come up (or comes up too late).
            await process.DisposeAsync();
            throw;
        }

        return new AzuriteServer(process, blob, queue, table, tls);
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        tls?.Dispose();
    }
}
