using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recording.Functions.Notifications;
using Recording.Functions.Tests.Notifications;
using Recording.Media.Probing;
using Recording.Storage.Destinations;
using Recording.TestSupport;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>Everything a recording needs around the service: nginx-rtmp with a synthetic live source, s3rver as the bucket, a webhook receiver.</summary>
public sealed class RecordingRig : IAsyncDisposable
{
    public const string Bucket = "recordings";
    public const string WebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private RecordingRig(NginxRtmpServer rtmp, S3rverServer s3, LocalReceiver receiver, SyntheticSource source, string dataDirectory, string stream)
    {
        Rtmp = rtmp;
        S3 = s3;
        Receiver = receiver;
        Source = source;
        DataDirectory = dataDirectory;
        SourceUrl = rtmp.UrlFor(stream);
    }

    public NginxRtmpServer Rtmp { get; }

    public S3rverServer S3 { get; }

    public LocalReceiver Receiver { get; }

    public SyntheticSource Source { get; }

    public string DataDirectory { get; }

    public string SourceUrl { get; }

    /// <param name="sourceOptions">The live source's settings; the defaults (testsrc2, 320x240) when null.</param>
    public static async Task<RecordingRig> StartAsync(SyntheticSourceOptions? sourceOptions = null)
    {
        var rtmp = await NginxRtmpServer.StartAsync();
        var s3 = await S3rverServer.StartAsync(Bucket);
        var receiver = await LocalReceiver.StartAsync();
        var stream = "cam" + Guid.NewGuid().ToString("N")[..6];
        var source = SyntheticSource.Start(rtmp.UrlFor(stream), sourceOptions);
        var data = Directory.CreateTempSubdirectory("recording-e2e-").FullName;
        return new RecordingRig(rtmp, s3, receiver, source, data, stream);
    }

    /// <summary>The destination settings as a template carries them: s3rver, path style, no chunk signing (DESIGN.md).</summary>
    public JsonObject Destination() => S3Destination(S3);

    /// <summary>Template destination settings for the <see cref="Bucket"/> of a running s3rver.</summary>
    public static JsonObject S3Destination(S3rverServer s3) => new()
    {
        ["kind"] = "s3",
        ["bucket"] = Bucket,
        ["endpoint"] = s3.Endpoint,
        ["forcePathStyle"] = true,
        ["region"] = "us-east-1",
        ["accessKeyId"] = S3rverServer.AccessKey,
        ["secretAccessKey"] = S3rverServer.SecretKey,
        ["chunkEncoding"] = false,
    };

    public JsonObject StartBody(string id, bool hls = true, bool ladder = true, bool thumbnails = true) => new()
    {
        ["id"] = id,
        ["source"] = SourceUrl,
        ["streamId"] = "room-1",
        ["template"] = new JsonObject
        {
            ["format"] = "fmp4",
            ["segmentLength"] = "00:00:05",
            ["resumeWindow"] = "00:00:10",
            ["maxDuration"] = "00:03:00",
            ["renditions"] = new JsonArray(240),
            ["thumbnailInterval"] = "00:00:05",
            ["postProcessing"] = new JsonObject { ["splice"] = true, ["hls"] = hls, ["ladder"] = ladder, ["thumbnails"] = thumbnails },
            ["destination"] = Destination(),
            ["notifications"] = new JsonObject
            {
                ["webhooks"] = new JsonArray(new JsonObject { ["url"] = Receiver.Url.ToString(), ["secret"] = WebhookSecret }),
            },
        },
    };

    /// <summary>The webhook deliveries received so far, each verified with the shipped verifier (a forged one fails the test).</summary>
    public IReadOnlyList<(string WebhookId, string Type, JsonElement Data)> Events(string recordingId) => Events("recordingId", recordingId);

    /// <summary>The webhook deliveries of a composition (<c>composition.*</c>), verified the same way.</summary>
    public IReadOnlyList<(string WebhookId, string Type, JsonElement Data)> CompositionEvents(string compositionId) => Events("compositionId", compositionId);

    private List<(string WebhookId, string Type, JsonElement Data)> Events(string idField, string id)
    {
        var events = new List<(string, string, JsonElement)>();
        foreach (var request in Receiver.Requests.ToArray())
        {
            // As of its arrival: a long test reads its first events more than the verifier's 5 minutes after they came.
            new WebhookVerifier(WebhookSecret, clock: new FixedClock(request.ReceivedAt)).Verify(request.Header, request.Body);
            using var document = JsonDocument.Parse(request.Body);
            var data = document.RootElement.GetProperty("data").Clone();
            if (data.TryGetProperty(idField, out var about) && about.GetString() == id)
            {
                events.Add((request.Header("webhook-id")!, document.RootElement.GetProperty("type").GetString()!, data));
            }
        }

        return events;
    }

    public static async Task<JsonElement> StatusAsync(HttpClient client, string id)
    {
        var answer = await client.GetAsync($"api/recordings/{id}");
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>Waits until the orchestration has completed and returns its status.</summary>
    public static Task<JsonElement> CompletedStatusAsync(HttpClient client, string id) => StatusOnceAsync(client, id, "Completed");

    /// <summary>
    /// The status once the orchestration has reached <paramref name="runtimeStatus"/>: its last event (completed, failed) is
    /// delivered before the orchestration commits its end, so a status read the moment the event arrives can still say Running.
    /// </summary>
    public static async Task<JsonElement> StatusOnceAsync(HttpClient client, string id, string runtimeStatus)
    {
        var json = await Eventually.WaitForAsync(
            async () =>
            {
                var status = await StatusAsync(client, id);
                return status.GetProperty("runtimeStatus").GetString() == runtimeStatus ? status.GetRawText() : null;
            },
            TimeSpan.FromSeconds(30),
            $"the orchestration to end {runtimeStatus}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Polls a composition until it has ended, however it ended, and returns its status.</summary>
    public static async Task<JsonElement> EndedCompositionAsync(HttpClient client, string id, TimeSpan deadline)
    {
        var json = await Eventually.WaitForAsync(
            async () =>
            {
                using var answer = await client.GetAsync($"api/compositions/{id}");
                answer.EnsureSuccessStatusCode();
                var status = await answer.Content.ReadAsStringAsync();
                using var document = JsonDocument.Parse(status);
                return document.RootElement.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated" ? status : null;
            },
            deadline,
            "the composition to end",
            TimeSpan.FromMilliseconds(500));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, JsonNode? body) =>
        await client.PostAsync(path, new StringContent(body?.ToJsonString() ?? "", Encoding.UTF8, "application/json"));

    /// <summary>Opens the bucket through src/Storage, as a user's tool would.</summary>
    public async Task<IStorageDestination> BucketAsync() =>
        await StorageDestinationFactory.CreateAsync(JsonSerializer.Deserialize<DestinationSettings>(Destination().ToJsonString(), JsonSerializerOptions.Web)!);

    /// <summary>Downloads every object under <paramref name="prefix"/> into a local folder (keeping relative paths) and returns the folder.</summary>
    public static async Task<string> DownloadAsync(IStorageDestination bucket, string prefix, string into)
    {
        await foreach (var stored in bucket.ListAsync(prefix))
        {
            var local = Path.Combine(into, stored.Key[prefix.Length..].TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await bucket.DownloadToFileAsync(stored.Key, local);
        }

        return into;
    }

    public static Task<MediaInfo> ProbeAsync(string path) => new MediaProbe().ProbeAsync(path);

    /// <summary>How many video packets ffprobe reads from a file (every one, not an estimate from the header).</summary>
    public static async Task<int> VideoPacketsAsync(string path)
    {
        var output = await Ffprobe.RunAsync("-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", "file:" + path);
        return int.Parse(output.TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Receiver.DisposeAsync();
        await S3.DisposeAsync();
        await Rtmp.DisposeAsync();
    }
}
