using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Recording.Functions.Recordings;

namespace Recording.Functions.Tests.Http;

/// <summary>The recording functions over real HTTP: 202 with Durable-style links, idempotent ids, status, paging, stop and delete codes.</summary>
public sealed class RecordingFunctionsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Start_ValidRequest_Answers202WithLocationAndManagementUris()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        using var response = await client.PostAsJsonAsync("api/recordings", new
        {
            id = "rec-links",
            source = "rtmp://127.0.0.1/live/a",
            streamId = "room-7",
            template = new { format = "ts", segmentLength = "00:05:00", resumeWindow = "00:30:00", postProcessing = new { hls = true } },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var links = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var status = new Uri(fixture.Service.BaseAddress, "api/recordings/rec-links");
        Assert.Equal(status, response.Headers.Location);
        Assert.Equal("rec-links", links.GetProperty("id").GetString());
        Assert.True(links.GetProperty("created").GetBoolean());
        Assert.Equal(status.ToString(), links.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal(status + "/stop", links.GetProperty("stopPostUri").GetString());
        Assert.Equal(status + "/stop?mode=terminate", links.GetProperty("terminatePostUri").GetString());
        Assert.StartsWith(status.ToString(), links.GetProperty("purgeHistoryDeleteUri").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(RunningService.RecorderKey, links.GetRawText(), StringComparison.Ordinal);

        var command = fixture.Service.Recordings.Started.Single(c => c.Id == "rec-links");
        Assert.Equal(["rtmp://127.0.0.1/live/a"], command.Sources);
        Assert.Equal("room-7", command.StreamId);
        Assert.Equal("ts", command.Template.Format);
        Assert.Equal(TimeSpan.FromMinutes(5), command.Template.SegmentLength);
        Assert.Equal(TimeSpan.FromMinutes(30), command.Template.ResumeWindow);
        Assert.True(command.Template.PostProcessing.Hls);

        using var statusResponse = await client.GetAsync(links.GetProperty("statusQueryGetUri").GetString());
        var body = JsonDocument.Parse(await statusResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Running", body.GetProperty("runtimeStatus").GetString());
        Assert.Equal("room-7", body.GetProperty("streamId").GetString());
    }

    [Fact]
    public async Task Start_SameIdTwice_GivesOneRecording()
    {
        using var client = fixture.Service.Client();
        var request = new { id = "rec-twice", source = "rtmp://127.0.0.1/live/a" };

        using var first = await client.PostAsJsonAsync("api/recordings", request);
        using var second = await client.PostAsJsonAsync("api/recordings", request);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.False((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetBoolean());
        Assert.Single(fixture.Service.Recordings.Started, c => c.Id == "rec-twice");
    }

    [Fact]
    public async Task Start_WithoutId_GeneratesOne()
    {
        using var client = fixture.Service.Client();

        using var response = await client.PostAsJsonAsync("api/recordings", new { sources = new[] { "srt://127.0.0.1:9000" } });

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Matches("^[a-f0-9]{32}$", id);
        Assert.Equal(["srt://127.0.0.1:9000"], fixture.Service.Recordings.Started.Single(c => c.Id == id).Sources);
    }

    [Fact]
    public async Task Stop_UnknownRecording_Answers404Problem()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        using var response = await client.PostAsync("api/recordings/never-started/stop", null);

        await ProblemAssert.IsProblemAsync(response, 404);
    }

    [Fact]
    public async Task Stop_RunningThenFinished_Answers202Then409()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);
        (await client.PostAsJsonAsync("api/recordings", new { id = "rec-stop", source = "rtmp://127.0.0.1/live/a" })).Dispose();

        using var accepted = await client.PostAsync("api/recordings/rec-stop/stop?mode=terminate", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Contains(("rec-stop", StopMode.Terminate), fixture.Service.Recordings.Stops);

        fixture.Service.Recordings.Complete("rec-stop");
        using var conflict = await client.PostAsync("api/recordings/rec-stop/stop", null);
        await ProblemAssert.IsProblemAsync(conflict, 409);

        using var badMode = await client.PostAsync("api/recordings/rec-stop/stop?mode=later", null);
        await ProblemAssert.NamesFieldAsync(badMode, "mode");
    }

    [Fact]
    public async Task Delete_RunningThenFinished_Answers409Then200Then404()
    {
        using var admin = fixture.Service.Client();
        (await admin.PostAsJsonAsync("api/recordings", new { id = "rec-delete", source = "rtmp://127.0.0.1/live/a" })).Dispose();

        using var running = await admin.DeleteAsync("api/recordings/rec-delete?deleteAssets=true");
        await ProblemAssert.IsProblemAsync(running, 409);

        fixture.Service.Recordings.Complete("rec-delete", new RecordingAsset("spliced", "rec/spliced/a.mp4", 10, null, null));
        using var deleted = await admin.DeleteAsync("api/recordings/rec-delete?deleteAssets=true");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(1, (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assetsDeleted").GetInt32());

        using var gone = await admin.GetAsync("api/recordings/rec-delete");
        await ProblemAssert.IsProblemAsync(gone, 404);
    }

    [Fact]
    public async Task List_FiltersByStatusAndPagesWithContinuationToken()
    {
        await using var service = await RunningService.StartAsync();
        using var client = service.Client(RunningService.RecorderKey);
        foreach (var id in new[] { "list-a", "list-b", "list-c" })
        {
            (await client.PostAsJsonAsync("api/recordings", new { id, source = "rtmp://127.0.0.1/live/a" })).Dispose();
        }

        service.Recordings.Complete("list-b");

        var running = await client.GetFromJsonAsync<JsonElement>("api/recordings?status=Running,Pending");
        Assert.Equal(["list-a", "list-c"], running.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order());

        using var firstPage = await client.GetAsync("api/recordings?top=2");
        var first = await firstPage.Content.ReadFromJsonAsync<JsonElement>();
        var token = first.GetProperty("continuationToken").GetString();
        Assert.Equal(token, firstPage.Headers.GetValues("x-ms-continuation-token").Single());
        var second = await client.GetFromJsonAsync<JsonElement>($"api/recordings?top=2&continuationToken={token}");
        Assert.Equal(2, first.GetProperty("recordings").GetArrayLength());
        Assert.Equal(1, second.GetProperty("recordings").GetArrayLength());
        Assert.False(second.TryGetProperty("continuationToken", out _));

        var future = await client.GetFromJsonAsync<JsonElement>($"api/recordings?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        Assert.Equal(0, future.GetProperty("recordings").GetArrayLength());
    }

    [Theory]
    [InlineData("status=Sleeping", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("top=0", "top")]
    [InlineData("top=5000", "top")]
    [InlineData("continuationToken=abc", "continuationToken")]
    [InlineData("continuationToken=MTIz", "continuationToken")]
    public async Task List_BadQuery_Answers400NamingParameter(string query, string field)
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        using var response = await client.GetAsync("api/recordings?" + query);

        await ProblemAssert.NamesFieldAsync(response, field);
    }

    [Fact]
    public async Task UnknownRoute_Answers404Problem()
    {
        using var client = fixture.Service.Client();

        using var response = await client.GetAsync("api/no-such-function");

        await ProblemAssert.IsProblemAsync(response, 404);
    }

    [Fact]
    public async Task StorageValidate_MapsStorageLayerErrorsUnderDestination()
    {
        using var client = fixture.Service.Client();

        using var missing = await client.PostAsJsonAsync("api/storage/validate", new { });
        await ProblemAssert.NamesFieldAsync(missing, "destination");

        using var hostile = await client.PostAsJsonAsync("api/storage/validate", new { destination = new { bucket = "b", prefix = "a/../../etc" } });
        await ProblemAssert.NamesFieldAsync(hostile, "destination.prefix");

        using var invalid = await client.PostAsJsonAsync("api/storage/validate", new { destination = new { kind = "s3" } });
        await ProblemAssert.NamesFieldAsync(invalid, "destination.bucket");

        using var valid = await client.PostAsJsonAsync("api/storage/validate", new { destination = new { kind = "s3", bucket = "b" } });
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.True((await valid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isValid").GetBoolean());
    }
}
