using Recording.Storage.Destinations;
using Recording.Storage.S3;
using Recording.Storage.Upload;
using Recording.TestSupport;

namespace Recording.Storage.Tests.Support;

/// <summary>The run's shared s3rver (see <see cref="SharedServers"/>), with a bucket "recordings".</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "recordings";

    public S3rverServer Server { get; private set; } = null!;

    public string Endpoint => Environment.GetEnvironmentVariable("S3RVER_DEBUG_ENDPOINT") ?? Server.Endpoint;

    public S3DestinationSettings Settings(string? endpoint = null, string secret = S3rverServer.SecretKey, string bucket = Bucket) => new()
    {
        Bucket = bucket,
        Endpoint = new Uri(endpoint ?? Endpoint),
        ForcePathStyle = true,
        AccessKeyId = S3rverServer.AccessKey,
        SecretAccessKey = new Secret(secret),
        Prefix = "tenant-a",
    };

    public Task<S3StorageDestination> DestinationAsync(UploadOptions? options = null, string? endpoint = null)
        => S3StorageDestination.CreateAsync(Settings(endpoint), options);

    public async Task InitializeAsync() => Server = await SharedServers.S3rverAsync();

    public Task DisposeAsync() => Task.CompletedTask; // stopped with the test process
}
