using Recording.TestSupport;

namespace Recording.Storage.Tests.Support;

/// <summary>
/// One s3rver and one Azurite for the whole test run, started on first use and stopped when the test process
/// exits. Test classes still run in parallel (each uses its own key prefixes); starting a node server per class
/// cost seconds of CPU each, and on a loaded 2-core machine several starting at once missed their 30 s deadline.
/// </summary>
public static class SharedServers
{
    private static readonly Lazy<Task<S3rverServer>> S3 = new(() => StartAsync(() => S3rverServer.StartAsync(S3rverFixture.Bucket)));
    private static readonly Lazy<Task<AzuriteServer>> Blob = new(() => StartAsync(AzuriteServer.StartAsync));

    public static Task<S3rverServer> S3rverAsync() => S3.Value;

    public static Task<AzuriteServer> AzuriteAsync() => Blob.Value;

    private static async Task<T> StartAsync<T>(Func<Task<T>> start)
        where T : IAsyncDisposable
    {
        T server;
        try
        {
            server = await start();
        }
        catch (TimeoutException)
        {
            // One more try: a start that timed out under load usually succeeds once the burst has passed.
            server = await start();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
