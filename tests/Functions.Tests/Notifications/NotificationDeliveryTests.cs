using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Recording.Functions.Notifications;
using Recording.Functions.Templates;

namespace Recording.Functions.Tests.Notifications;

/// <summary>Notifications to real local HTTP receivers: CloudEvents bodies, Standard Webhooks signatures, retries with backoff, the delivery log, Event Grid.</summary>
public sealed class NotificationDeliveryTests
{
    // A receiver that never answers costs one attempt timeout. 3 s is far past what a local answer takes even at the start of
    // a loaded two-core run; at 0.5 s, a slow first answer (JIT, a cold connection) was taken for silence in 2 of about 6 runs.
    private static readonly string[] FastRetries =
    [
        "Recording:Notifications:FirstRetryDelay=00:00:00.010",
        "Recording:Notifications:MaxRetryDelay=00:00:00.100",
        "Recording:Notifications:AttemptTimeout=00:00:03",
        "Recording:Notifications:MaxAttempts=4",
    ];

    // For receivers that always answer: an attempt timeout long enough that a slow first answer on a loaded machine (JIT,
    // two cores) is not taken for silence and retried, which would change the attempt counts the test checks.
    private static readonly string[] FastRetriesPatientAttempts =
    [
        "Recording:Notifications:FirstRetryDelay=00:00:00.010",
        "Recording:Notifications:MaxRetryDelay=00:00:00.100",
        "Recording:Notifications:AttemptTimeout=00:00:10",
        "Recording:Notifications:MaxAttempts=4",
    ];

    private static RecordingEvent SegmentReady(string recordingId, long sequence) => new(
        RecordingEventTypes.SegmentReady,
        DateTimeOffset.UtcNow,
        new RecordingEventData
        {
            RecordingId = recordingId,
            Sequence = sequence,
            StreamId = "room-1",
            StartTime = DateTimeOffset.UtcNow.AddMinutes(-1),
            EndTime = DateTimeOffset.UtcNow,
            FileKey = $"rec/2026/11/23/{recordingId}/segments/000001.mp4",
            SizeBytes = 123456,
            Duration = TimeSpan.FromSeconds(60),
        });

    [Fact]
    public async Task Webhook_ReceivesASignedCloudEvent_ThatTheVerifierAccepts()
    {
        await using var service = await RunningService.StartAsync(null, FastRetries);
        await using var receiver = await LocalReceiver.StartAsync(204);
        var secret = WebhookSecret.Create();
        var notifier = service.Services.GetRequiredService<RecordingNotifier>();

        var results = await notifier.PublishAsync(SegmentReady("rec-signed", 3), new NotificationSettings { Webhooks = [new WebhookEndpoint { Url = receiver.Url.ToString(), Secret = secret }] });

        Assert.True(Assert.Single(results).Delivered);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("rec-signed-3", request.Header("webhook-id"));
        Assert.StartsWith("application/cloudevents+json", request.Header("content-type"), StringComparison.Ordinal);
        new WebhookVerifier(secret).Verify(request.Header, request.Body);
        Assert.Throws<WebhookVerificationException>(() => new WebhookVerifier(WebhookSecret.Create()).Verify(request.Header, request.Body));

        var cloudEvent = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal("recording.segment.ready", cloudEvent.GetProperty("type").GetString());
        Assert.Equal("rec-signed-3", cloudEvent.GetProperty("id").GetString());
        Assert.Equal("/recording", cloudEvent.GetProperty("source").GetString());
        var data = cloudEvent.GetProperty("data");
        Assert.Equal("rec-signed", data.GetProperty("recordingId").GetString());
        Assert.Equal(3, data.GetProperty("sequence").GetInt64());
        Assert.Equal("room-1", data.GetProperty("streamId").GetString());
        Assert.Equal(123456, data.GetProperty("sizeBytes").GetInt64());
        Assert.Equal("00:01:00", data.GetProperty("duration").GetString());
        Assert.EndsWith("/segments/000001.mp4", data.GetProperty("fileKey").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_RetriesOn5xxAndTimeouts_WithTheSameId_AndLogsEveryAttempt()
    {
        await using var service = await RunningService.StartAsync(null, FastRetries);
        await using var receiver = await LocalReceiver.StartAsync(503, LocalReceiver.NeverAnswer, 500, 200);
        var secret = WebhookSecret.Create();
        var notifier = service.Services.GetRequiredService<RecordingNotifier>();

        var result = Assert.Single(await notifier.PublishAsync(SegmentReady("rec-retry", 1), new NotificationSettings { Webhooks = [new WebhookEndpoint { Url = receiver.Url + "?token=abc", Secret = secret }] }));

        Assert.True(result.Delivered);
        Assert.Equal(4, result.Attempts);
        Assert.Equal(4, receiver.Requests.Count);
        Assert.All(receiver.Requests, request =>
        {
            Assert.Equal("rec-retry-1", request.Header("webhook-id"));
            new WebhookVerifier(secret).Verify(request.Header, request.Body);
        });

        var log = await service.Services.GetRequiredService<IDeliveryLog>().ListAsync("rec-retry");
        Assert.Equal([DeliveryOutcome.Retrying, DeliveryOutcome.Retrying, DeliveryOutcome.Retrying, DeliveryOutcome.Delivered], log.Select(a => a.Outcome));
        Assert.Equal([503, (int?)null, 500, 200], log.Select(a => a.StatusCode));
        Assert.Contains("no answer within", log[1].Error, StringComparison.Ordinal);
        Assert.All(log, a => Assert.Equal(receiver.Url.ToString(), a.Target));

        // The same log over HTTP, for the recording's owner.
        using var client = service.Client(RunningService.RecorderKey);
        var listed = await client.GetFromJsonAsync<JsonElement>("api/recordings/rec-retry/notifications");
        Assert.Equal("rec-retry", listed.GetProperty("recordingId").GetString());
        Assert.Equal(4, listed.GetProperty("deliveries").GetArrayLength());
        Assert.All(listed.GetProperty("deliveries").EnumerateArray(), d => Assert.False(d.TryGetProperty("logKey", out _)));
        Assert.DoesNotContain("token=abc", listed.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_ClientError_IsNotRetried_AndExhaustedRetriesFail()
    {
        await using var service = await RunningService.StartAsync(null, FastRetriesPatientAttempts);
        await using var refusing = await LocalReceiver.StartAsync(410);
        await using var broken = await LocalReceiver.StartAsync(500, 502, 503, 504);
        var notifier = service.Services.GetRequiredService<RecordingNotifier>();
        var settings = new NotificationSettings
        {
            Webhooks =
            [
                new WebhookEndpoint { Url = refusing.Url.ToString(), Secret = WebhookSecret.Create() },
                new WebhookEndpoint { Url = broken.Url.ToString(), Secret = WebhookSecret.Create() },
            ],
        };

        var results = await notifier.PublishAsync(SegmentReady("rec-fail", 9), settings);

        Assert.Equal((false, 1, 410), (results[0].Delivered, results[0].Attempts, results[0].LastStatusCode ?? 0));
        Assert.Equal((false, 4, 504), (results[1].Delivered, results[1].Attempts, results[1].LastStatusCode ?? 0));
        Assert.Single(refusing.Requests);
        Assert.Equal(4, broken.Requests.Count);
        var log = await service.Services.GetRequiredService<IDeliveryLog>().ListAsync("rec-fail");
        Assert.Equal(2, log.Count(a => a.Outcome == DeliveryOutcome.Failed));
    }

    [Fact]
    public async Task NotifyActivity_WhenAReceiverDoesNotTakeTheEvent_FailsNamingItsTargetButNoSecret()
    {
        await using var service = await RunningService.StartAsync(null, FastRetriesPatientAttempts);
        await using var taking = await LocalReceiver.StartAsync(200);
        await using var broken = await LocalReceiver.StartAsync(503, 503, 503, 503);
        var activity = new Recording.Functions.Orchestration.Activities.NotifyRecording(service.Services.GetRequiredService<RecordingNotifier>());
        var settings = new NotificationSettings
        {
            Webhooks =
            [
                new WebhookEndpoint { Url = taking.Url.ToString(), Secret = WebhookSecret.Create() },
                new WebhookEndpoint { Url = broken.Url + "?token=s3cret", Secret = WebhookSecret.Create() },
            ],
        };

        var error = await Assert.ThrowsAsync<EventNotDeliveredException>(() => activity.RunAsync(
            new Recording.Durable.Activities.TaskActivityContext("NotifyRecording", "rec-undelivered", 1, 1, CancellationToken.None),
            new Recording.Functions.Orchestration.Activities.NotifyInput(SegmentReady("rec-undelivered", 2), settings)));

        // The receiver that answered got it once; the one that never did is named with its last answer, the other is not named.
        Assert.Single(taking.Requests);
        Assert.Equal(4, broken.Requests.Count);
        Assert.Equal($"not taken by {broken.Url} (receiver answered 503, 4 attempts)", error.Message);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventGrid_ReceivesTheCloudEvent_WithTheTopicKey()
    {
        await using var service = await RunningService.StartAsync(null, FastRetries);
        await using var topic = await LocalReceiver.StartAsync(200);
        var notifier = service.Services.GetRequiredService<RecordingNotifier>();
        var settings = new NotificationSettings { EventGrid = new EventGridTopic { Endpoint = new Uri(topic.Url, "/api/events").ToString(), AccessKey = "local-topic-access-key-0123456789" } };

        var result = Assert.Single(await notifier.PublishAsync(SegmentReady("rec-grid", 2) with { Type = RecordingEventTypes.Completed }, settings));

        Assert.True(result.Delivered, result.LastError);
        var request = Assert.Single(topic.Requests);
        Assert.StartsWith("/api/events?api-version=", request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("local-topic-access-key-0123456789", request.Header("aeg-sas-key"));
        Assert.StartsWith("application/cloudevents-batch+json", request.Header("content-type"), StringComparison.Ordinal);
        var published = Assert.Single(JsonDocument.Parse(request.Body).RootElement.EnumerateArray());
        Assert.Equal("recording.completed", published.GetProperty("type").GetString());
        Assert.Equal("rec-grid-2", published.GetProperty("id").GetString());
        Assert.Equal("rec-grid", published.GetProperty("data").GetProperty("recordingId").GetString());
    }

    [Fact]
    public async Task EventGrid_WithoutAKey_ToAHostThatIsNotEventGrid_IsRefusedBeforeSigningIn()
    {
        await using var service = await RunningService.StartAsync(null, FastRetries);
        await using var collector = await LocalReceiver.StartAsync(200);
        var notifier = service.Services.GetRequiredService<RecordingNotifier>();
        // As a template stored before the rule would have it: the managed identity, and an endpoint anyone could run.
        var settings = new NotificationSettings { EventGrid = new EventGridTopic { Endpoint = new Uri(collector.Url, "/api/events").ToString() } };

        var result = Assert.Single(await notifier.PublishAsync(SegmentReady("rec-elsewhere", 1), settings));

        Assert.False(result.Delivered);
        Assert.Contains("the managed identity signs in only there", result.LastError, StringComparison.Ordinal);
        Assert.Empty(collector.Requests);
        var logged = Assert.Single(await service.Services.GetRequiredService<IDeliveryLog>().ListAsync("rec-elsewhere"));
        Assert.Equal(DeliveryOutcome.Failed, logged.Outcome);
    }

    [Fact]
    public async Task Webhook_ToALoopbackReceiver_WhenPrivateNetworksAreOff_IsRefusedAtConnect_AndNotRetried()
    {
        await using var service = await RunningService.StartAsync(null, [.. FastRetriesPatientAttempts, "Recording:Orchestration:AllowPrivateNetworks=false"]);
        await using var receiver = await LocalReceiver.StartAsync(204);
        var notifier = service.Services.GetRequiredService<RecordingNotifier>();
        // By name as well as by address: the name is resolved when the connection is made, and every address it gives is checked.
        var byName = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri;
        var settings = new NotificationSettings
        {
            Webhooks =
            [
                new WebhookEndpoint { Url = receiver.Url.ToString(), Secret = WebhookSecret.Create() },
                new WebhookEndpoint { Url = byName.ToString(), Secret = WebhookSecret.Create() },
            ],
        };

        var results = await notifier.PublishAsync(SegmentReady("rec-private", 1), settings);

        Assert.All(results, r => Assert.Equal((false, 1), (r.Delivered, r.Attempts)));
        Assert.All(results, r => Assert.Contains("resolves only to loopback or private addresses", r.LastError, StringComparison.Ordinal));
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task EventGrid_WithAKey_ToALoopbackTopic_WhenPrivateNetworksAreOff_IsRefused_AndNothingIsSent()
    {
        await using var service = await RunningService.StartAsync(null, [.. FastRetriesPatientAttempts, "Recording:Orchestration:AllowPrivateNetworks=false"]);
        await using var topic = await LocalReceiver.StartAsync(200);
        var notifier = service.Services.GetRequiredService<RecordingNotifier>();
        // A topic key lets the endpoint be anything, so the address rule is all that keeps it off the service's network.
        var byName = new UriBuilder(topic.Url) { Host = "localhost", Path = "/api/events" }.Uri;
        var settings = new NotificationSettings { EventGrid = new EventGridTopic { Endpoint = byName.ToString(), AccessKey = "local-topic-access-key-0123456789" } };

        var result = Assert.Single(await notifier.PublishAsync(SegmentReady("rec-grid-private", 1), settings));

        Assert.False(result.Delivered);
        Assert.Contains("resolves only to loopback or private addresses", result.LastError, StringComparison.Ordinal);
        Assert.Empty(topic.Requests);
    }
}
