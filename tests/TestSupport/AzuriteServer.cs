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

    private AzuriteServer(ManagedProcess process, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
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

    public static async Task<AzuriteServer> StartAsync()
    {
        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        // In memory, but run from a scratch folder so nothing it writes lands in the repository.
        var scratch = Directory.CreateTempSubdirectory("azurite-").FullName;
        var process = ManagedProcess.Start(Path.Combine(RepositoryPaths.NodeBin, "azurite"), [
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], workingDirectory: scratch);
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

        return new AzuriteServer(process, blob, queue, table);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
