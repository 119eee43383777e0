using System.Net.Sockets;
using Recording.Storage.Destinations;
using Recording.Storage.Tests.Support;
using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Upload;

/// <summary>
/// <see cref="UploadOptions.HttpHandler"/>: every request to S3 (s3rver) and Azure Blob (Azurite) goes through the handler
/// the host gives, and a connection the handler refuses (as the host's public-address rule does) fails the upload at once.
/// </summary>
public sealed class StoreHttpHandlerTests(S3rverFixture s3, AzuriteFixture azurite) : IClassFixture<S3rverFixture>, IClassFixture<AzuriteFixture>
{
    private const long MiB = 1024 * 1024;

    private static readonly UploadOptions Options = new()
    {
        MultipartThreshold = 5 * MiB,
        PartSize = 8 * MiB,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    [Theory]
    [InlineData("s3")]
    [InlineData("azureBlob")]
    public async Task Uploads_GoThroughTheGivenHandler_AndReadBackTheSameBytes(string kind)
    {
        using var files = new TestFiles();
        var path = files.Create((9 * MiB) + 5, seed: 21);
        var connects = 0;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                Interlocked.Increment(ref connects);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var destination = await DestinationAsync(kind, Options with { HttpHandler = handler });
        var key = $"tenant-h/through-handler/{kind}.mp4";

        var result = await destination.UploadFileAsync(path, key);

        Assert.True(result.Verified, result.Verification);
        Assert.Equal(2, result.PartCount);
        await using var stream = await destination.OpenReadAsync(key);
        await ByteAssert.SameBytesAsync(path, stream);
        Assert.True(connects > 0, "no request reached the store through the given handler");
    }

    [Theory]
    [InlineData("s3")]
    [InlineData("azureBlob")]
    public async Task AConnectionTheHandlerRefuses_FailsTheUploadAtOnce_WithoutRetries(string kind)
    {
        using var files = new TestFiles();
        var path = files.Create(1000, seed: 22);
        var attempts = 0;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, _) =>
            {
                Interlocked.Increment(ref attempts);
                throw new UnauthorizedAccessException("refused by the host's address rule");
            },
        };
        using var destination = await DestinationAsync(kind, Options with { HttpHandler = handler });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => destination.UploadFileAsync(path, $"tenant-h/refused/{kind}.bin"));

        Assert.Contains(Chain(error), e => e is UnauthorizedAccessException);
        Assert.Equal(1, attempts);
        Assert.Equal(0, destination switch
        {
            Recording.Storage.S3.S3StorageDestination bucket => bucket.RetryCount,
            Recording.Storage.Blob.AzureBlobStorageDestination container => container.RetryCount,
            _ => -1,
        });
    }

    private async Task<IStorageDestination> DestinationAsync(string kind, UploadOptions options) => kind == "s3"
        ? await s3.DestinationAsync(options)
        : await azurite.DestinationAsync(options);

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
