using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recording.Durable.Instances;
using Recording.Functions.Network;
using Recording.Functions.Orchestration;
using Recording.Functions.Storage;
using Recording.Functions.Tests.Activities;
using Recording.Functions.Tests.EndToEnd;
using Recording.Storage.Keys;
using Recording.Storage.S3;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Network;

/// <summary>
/// With Recording:Orchestration:AllowPrivateNetworks off (the Bicep's setting), the endpoints a template names reach no
/// loopback or private address: written as such an address they are refused with a 400, and a name that resolves to one
/// is refused when the connection is made.
/// </summary>
public sealed class PrivateEndpointTests
{
    private const string PrivateNetworksOff = "Recording:Orchestration:AllowPrivateNetworks=false";
    private const string PublicSource = "rtmp://203.0.113.10/live/a";

    [Theory]
    [InlineData("""{"kind":"s3","bucket":"recordings","region":"us-east-1","endpoint":"http://127.0.0.1:9000","forcePathStyle":true}""", null, "template.destination.endpoint")]
    [InlineData("""{"kind":"s3","bucket":"recordings","region":"us-east-1","endpoint":"http://localhost:9000"}""", null, "template.destination.endpoint")]
    [InlineData("""{"kind":"azureBlob","container":"recordings","accountName":"devstoreaccount1","accountKey":"a2V5","serviceUri":"http://10.0.0.5:10000/devstoreaccount1"}""", null, "template.destination.serviceUri")]
    [InlineData(null, """{"webhooks":[{"url":"https://169.254.169.254/hook","secret":"SECRET"}]}""", "template.notifications.webhooks[0].url")]
    [InlineData(null, """{"eventGrid":{"endpoint":"https://[fd00::5]/api/events","accessKey":"local-topic-access-key-0123456789"}}""", "template.notifications.eventGrid.endpoint")]
    public async Task Start_WithAnEndpointAtAPrivateAddress_Answers400NamingIt(string? destination, string? notifications, string field)
    {
        await using var service = await RunningService.StartAsync(null, PrivateNetworksOff);
        using var client = service.Client();

        using var response = await client.PostAsync("api/recordings", Body("rec-private-endpoint", destination, notifications));

        var rules = await ProblemAssert.NamesFieldAsync(response, field);
        Assert.Contains(rules, r => r.Contains("must be a public address", StringComparison.Ordinal));
        Assert.Empty(service.Recordings.Started);
    }

    [Fact]
    public async Task Start_WithPublicEndpoints_IsAccepted()
    {
        await using var service = await RunningService.StartAsync(null, PrivateNetworksOff);
        using var client = service.Client();
        const string destination = """{"kind":"s3","bucket":"recordings","region":"eu-west-1","endpoint":"https://203.0.113.20:9000"}""";
        const string notifications = """{"webhooks":[{"url":"https://203.0.113.30/hook","secret":"SECRET"}]}""";

        using var response = await client.PostAsync("api/recordings", Body("rec-public-endpoint", destination, notifications));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Uploads_ToAStoreOnLoopback_AreRefusedAtConnect_NotRetried_AndStoreNothing()
    {
        await using var s3 = await S3rverServer.StartAsync(RecordingRig.Bucket);
        await using var service = await RunningService.StartAsync(null, PrivateNetworksOff);
        // By name: the start request's check sees no address; the connection resolves it and finds only loopback.
        var endpoint = RecordingRig.S3Destination(s3);
        endpoint["endpoint"] = new UriBuilder(s3.Endpoint) { Host = "localhost" }.Uri.ToString();
        var target = new AssetTarget("rec-store-private", null, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), JsonSerializer.Deserialize<JsonElement>(endpoint.ToJsonString()));
        var file = Path.Combine(service.DataDirectory, "segment_00000.mp4");
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        await File.WriteAllBytesAsync(file, bytes);
        var refusing = service.Services.GetRequiredService<RecordingDestinations>();
        var key = refusing.Key(target, ObjectKind.Segments, "segment_00000.mp4");

        using (var store = await refusing.OpenAsync(target))
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => store.UploadFileAsync(file, key));

            Assert.Contains(Chain(error), e => e is PrivateAddressRefusedException);
            Assert.Equal(0, ((S3StorageDestination)store).RetryCount);
            // Nor does the orchestration retry the activity: the recording fails with the refusal, its segments kept locally.
            Assert.False(PermanentFailures.IsTransient(TaskFailureDetails.FromException(error)));
        }

        // The same settings where private networks are allowed: the store is there, and the refused upload left nothing in it.
        using var allowed = await LocalDestinations.At(service.DataDirectory).OpenAsync(target);
        Assert.Null(await allowed.HeadAsync(key));
        await allowed.UploadFileAsync(file, key);
        await using var stored = await allowed.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    private static StringContent Body(string id, string? destination, string? notifications)
    {
        var template = new JsonObject();
        if (destination is not null)
        {
            template["destination"] = JsonNode.Parse(destination);
        }

        if (notifications is not null)
        {
            template["notifications"] = JsonNode.Parse(notifications.Replace("SECRET", Recording.Functions.Notifications.WebhookSecret.Create(), StringComparison.Ordinal));
        }

        var body = new JsonObject { ["id"] = id, ["source"] = PublicSource, ["template"] = template };
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
