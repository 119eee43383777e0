using System.Net;
using System.Text;
using System.Text.Json;
using Recording.Functions.Recordings;

namespace Recording.Functions.Tests.Http;

/// <summary>
/// The events endpoint over real HTTP, fed the way Event Grid delivers: the subscription handshakes of both schemas, start and stop
/// events in the Event Grid schema and as CloudEvents, redelivery, other event types, bad events and a missing key.
/// </summary>
public sealed class EventFunctionsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task EventGridSubscriptionValidation_EchoesTheCode_AndStartsNothing()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);
        var before = fixture.Service.Recordings.Started.Count;

        using var response = await PostAsync(client, """
            [{"id":"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66","topic":"/subscriptions/x","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent",
              "eventTime":"2026-11-30T10:00:00Z","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://rp-eastus2.eventgrid.azure.net/x"},"dataVersion":"2","metadataVersion":"1"}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (await Json(response)).GetProperty("validationResponse").GetString());
        Assert.Equal(before, fixture.Service.Recordings.Started.Count);
    }

    [Fact]
    public async Task CloudEventsWebhookHandshake_AllowsTheAskingOrigin()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/events");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
        Assert.Equal("*", response.Headers.GetValues("WebHook-Allowed-Rate").Single());
        using var withoutOrigin = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "api/events"));
        await ProblemAssert.NamesFieldAsync(withoutOrigin, "WebHook-Request-Origin");
    }

    [Fact]
    public async Task StartInTheEventGridSchema_WithoutAnId_TakesTheEventsId_SoARedeliveryStartsNothingNew()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);
        const string delivery = """
            [{"id":"evt-room-42-first-join","subject":"rooms/42","eventType":"Recording.Start","eventTime":"2026-11-30T10:00:00Z","dataVersion":"1",
              "data":{"source":"rtmp://127.0.0.1/live/room-42","streamId":"room-42"}}]
            """;

        using var first = await PostAsync(client, delivery);
        using var again = await PostAsync(client, delivery);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("started", Outcome(await Json(first), 0));
        Assert.Equal("already-started", Outcome(await Json(again), 0));
        var command = Assert.Single(fixture.Service.Recordings.Started, c => c.Id == "evt-room-42-first-join");
        Assert.Equal(["rtmp://127.0.0.1/live/room-42"], command.Sources);
        Assert.Equal("room-42", command.StreamId);
    }

    [Fact]
    public async Task CloudEventsBatch_StartsStopsAndIgnoresOtherTypes_InOrder()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        using var response = await PostAsync(client, """
            [{"specversion":"1.0","id":"c1","source":"/rooms","type":"Recording.Start","data":{"id":"rec-ce","source":"srt://127.0.0.1:9000"}},
             {"specversion":"1.0","id":"c2","source":"/rooms","type":"Room.ParticipantJoined","data":{"room":"7"}},
             {"specversion":"1.0","id":"c3","source":"/rooms","type":"Recording.Stop","data":{"id":"rec-ce","mode":"terminate"}},
             {"specversion":"1.0","id":"c4","source":"/rooms","type":"Recording.Stop","data":{"id":"rec-never-started"}}]
            """, "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(["started", "ignored", "stop-requested", "not-found"], body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()));
        Assert.Equal("rec-ce", body.GetProperty("events")[2].GetProperty("recordingId").GetString());
        Assert.Contains(("rec-ce", StopMode.Terminate), fixture.Service.Recordings.Stops);
    }

    [Fact]
    public async Task AStopThatOvertookItsStart_IsRemembered_AndTheLateStartRecordsNothing()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        // Event Grid delivered the room's stop first (the start's delivery had failed and is retried later).
        using var stop = await PostAsync(client, """[{"id":"s1","eventType":"Recording.Stop","data":{"id":"rec-overtaken"}}]""", "application/json");
        using var lateStart = await PostAsync(client, """[{"id":"s0","eventType":"Recording.Start","data":{"id":"rec-overtaken","source":"rtmp://127.0.0.1/live/late"}}]""", "application/json");
        using var otherStart = await PostAsync(client, """[{"id":"s2","eventType":"Recording.Start","data":{"id":"rec-in-order","source":"rtmp://127.0.0.1/live/other"}}]""", "application/json");

        Assert.Equal("not-found", Outcome(await Json(stop), 0));
        Assert.Equal("stopped-before-start", Outcome(await Json(lateStart), 0));
        Assert.Equal("started", Outcome(await Json(otherStart), 0));
        Assert.DoesNotContain(fixture.Service.Recordings.Started, c => c.Id == "rec-overtaken");
        Assert.Contains(fixture.Service.Recordings.Started, c => c.Id == "rec-in-order");
    }

    [Theory]
    [InlineData("""[{"id":"e1","eventType":"Recording.Start","data":{"source":"file:///etc/passwd"}}]""", "events[0].data.source", "scheme 'file' is not allowed")]
    [InlineData("""[{"id":"ok","eventType":"Recording.Start","data":{"source":"rtmp://h/a"}},{"id":"e2","eventType":"Recording.Start","data":{"source":"rtmp://h/b","template":{"segmentLength":"00:00:00"}}}]""", "events[1].data.template.segmentLength", "must be between 1 and 120 minutes")]
    [InlineData("""[{"id":"a/b","eventType":"Recording.Start","data":{"source":"rtmp://h/a"}}]""", "events[0].id", "to be the id of what it starts when data.id is absent")]
    [InlineData("""[{"id":"e3","eventType":"Recording.Stop","data":{"id":"../x"}}]""", "events[0].data.id", "must be 1 to 64 characters")]
    [InlineData("""[{"id":"e4","eventType":"Recording.Stop","data":{"id":"rec-1","mode":"7"}}]""", "events[0].data.mode", "must be graceful or terminate")]
    [InlineData("""[{"id":"e5","eventType":"Recording.Start","data":{"source":"rtmp://h/a","sourse":"typo"}}]""", "events[0].data.sourse", "is not a known field")]
    [InlineData("""[{"specversion":"0.3","id":"e6","type":"Recording.Start","data":{}}]""", "events[0].specversion", "must be 1.0")]
    [InlineData("""[{"id":"","eventType":"Recording.Start","data":{}}]""", "events[0].id", "is required")]
    [InlineData("""[]""", "body", "must be an event or an array of 1 to")]
    [InlineData("""[{"id":"room-7-ended","eventType":"Composition.Start","data":{"tracks":[]}}]""", "events[0].data.tracks", "must list 1 to 16 tracks")]
    [InlineData("""[{"id":"room-7-ended","eventType":"Composition.Start","data":{"tracks":[{"recordingId":"a"}],"size":"1921x1080"}}]""", "events[0].data.size", "must have even width and height")]
    public async Task BadDelivery_Answers400NamingTheEventsFieldAndRule_AndDoesNothing(string delivery, string field, string rule)
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);
        var started = fixture.Service.Recordings.Started.Count;
        var stops = fixture.Service.Recordings.Stops.Count;

        using var response = await PostAsync(client, delivery);

        var rules = await ProblemAssert.NamesFieldAsync(response, field);
        Assert.Contains(rules, r => r.Contains(rule, StringComparison.Ordinal));
        Assert.Equal(started, fixture.Service.Recordings.Started.Count);
        Assert.Equal(stops, fixture.Service.Recordings.Stops.Count);
    }

    [Fact]
    public async Task CompositionStart_WithoutAnId_TakesTheEventsId_AndAnUnknownRecordingIsARefusalNamingTheTrack()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        using var response = await PostAsync(client, """
            [{"specversion":"1.0","id":"room-7-ended","source":"/rooms/7","type":"Composition.Start",
              "data":{"tracks":[{"recordingId":"room-7-nobody","participant":"Nobody"}],"layout":"speaker"}}]
            """, "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = (await Json(response)).GetProperty("events")[0];
        Assert.Equal("refused", outcome.GetProperty("outcome").GetString());
        Assert.Equal("room-7-ended", outcome.GetProperty("compositionId").GetString());
        Assert.StartsWith("tracks[0].recordingId: must name an existing recording (there is no recording 'room-7-nobody')", outcome.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var status = await client.GetAsync("api/compositions/room-7-ended");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task ForgedDelivery_WithoutAKey_Answers401_AndStartsNothing()
    {
        using var client = fixture.Service.Client(key: null);
        var before = fixture.Service.Recordings.Started.Count;

        using var response = await PostAsync(client, """[{"id":"forged","eventType":"Recording.Start","data":{"source":"rtmp://h/a"}}]""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, fixture.Service.Recordings.Started.Count);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string mediaType = "application/json")
        => client.PostAsync("api/events", new StringContent(body, Encoding.UTF8, mediaType));

    private static async Task<JsonElement> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static string? Outcome(JsonElement body, int index) => body.GetProperty("events")[index].GetProperty("outcome").GetString();
}
