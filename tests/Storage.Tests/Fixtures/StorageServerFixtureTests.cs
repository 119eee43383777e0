using System.Net.Http;
using Recording.TestSupport;

namespace Recording.Storage.Tests.Fixtures;

/// <summary>Proves the local storage servers start from the committed npm packages and answer HTTP.</summary>
public sealed class StorageServerFixtureTests
{
    [Fact]
    public async Task S3rver_StartsWithConfiguredBucketAndListsIt()
    {
        await using var s3 = await S3rverServer.StartAsync("smoke-bucket");
        using var http = new HttpClient();

        var listing = await http.GetStringAsync(s3.Endpoint + "/");

        Assert.Contains("<Name>smoke-bucket</Name>", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azurite_StartsAndAnswersOnBlobQueueAndTablePorts()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        using var http = new HttpClient();

        foreach (var port in new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort })
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/{AzuriteServer.AccountName}"));
            Assert.True((int)response.StatusCode < 500, $"port {port} answered {(int)response.StatusCode}");
        }
    }
}
