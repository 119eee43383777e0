using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Recording.Functions.Notifications;

namespace Recording.Functions.Tests.Templates;

/// <summary>Templates over real HTTP into SQLite: validation by field, write-only secrets, persistence across restarts.</summary>
public sealed class TemplateFunctionsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static readonly string Secret = WebhookSecret.Create();

    private static object FullTemplate(string hookUrl = "https://hooks.example.org/recording") => new
    {
        description = "meetings",
        format = "fmp4",
        segmentLength = "PT30M",
        resumeWindow = "00:02:00",
        maxDuration = "04:00:00",
        renditions = new[] { 480, 720 },
        thumbnailInterval = "00:00:30",
        postProcessing = new { splice = true, hls = true, ladder = true, thumbnails = true },
        destination = new { kind = "s3", bucket = "recordings", region = "eu-west-1", accessKeyId = "AKIAIOSFODNN7EXAMPLE", prefix = "meetings/{yyyy}", secretAccessKey = "s3-secret-value", sessionToken = "s3-session-token-value" },
        notifications = new
        {
            webhooks = new[] { new { url = hookUrl, secret = Secret } },
            eventGrid = new { endpoint = "https://topic.westeurope-1.eventgrid.azure.net/api/events", accessKey = "event-grid-access-key-value" },
        },
    };

    [Fact]
    public async Task Put_Get_Delete_RoundTripsWithoutSecrets()
    {
        using var client = fixture.Service.Client();

        using var created = await client.PutAsJsonAsync("api/templates/meetings", FullTemplate());
        using var replaced = await client.PutAsJsonAsync("api/templates/meetings", FullTemplate());
        using var read = await client.GetAsync("api/templates/meetings");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        foreach (var answer in new[] { created, replaced, read })
        {
            var text = await answer.Content.ReadAsStringAsync();
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("s3-secret-value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("s3-session-token-value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("event-grid-access-key-value", text, StringComparison.Ordinal);
        }

        var template = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("00:30:00", template.GetProperty("segmentLength").GetString());
        Assert.Equal([480, 720], template.GetProperty("renditions").EnumerateArray().Select(h => h.GetInt32()));
        Assert.Equal("recordings", template.GetProperty("destination").GetProperty("bucket").GetString());
        var hook = template.GetProperty("notifications").GetProperty("webhooks")[0];
        Assert.True(hook.GetProperty("secretConfigured").GetBoolean());
        Assert.False(hook.TryGetProperty("secret", out _));

        // The stored template keeps the secret: the notifier needs it to sign.
        var stored = await fixture.Service.Services.GetTemplateStore().GetAsync("meetings");
        Assert.Equal(Secret, stored!.Notifications.Webhooks[0].Secret);

        using var deleted = await client.DeleteAsync("api/templates/meetings");
        using var again = await client.DeleteAsync("api/templates/meetings");
        using var gone = await client.GetAsync("api/templates/meetings");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(again, 404);
        await ProblemAssert.IsProblemAsync(gone, 404);
    }

    [Fact]
    public async Task StoredTemplate_SurvivesRestart_AndStartsARecordingByName()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("functions-restart-").FullName;
        await using (var first = await RunningService.StartAsync(dataDirectory))
        {
            using var client = first.Client();
            using var put = await client.PutAsJsonAsync("api/templates/kept", new { format = "flv", segmentLength = "00:01:00" });
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.True(File.Exists(Path.Combine(dataDirectory, "service.db")));
        await using var second = await RunningService.StartAsync(dataDirectory);
        using var recorder = second.Client(RunningService.RecorderKey);
        using var started = await recorder.PostAsJsonAsync("api/recordings", new { id = "by-name", source = "rtmp://127.0.0.1/live/a", template = "kept" });

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var command = second.Recordings.Started.Single();
        Assert.Equal("kept", command.TemplateName);
        Assert.Equal("flv", command.Template.Format);
    }

    [Theory]
    [InlineData("{\"format\":\"avi\"}", "format", "must be one of fmp4, mp4, flv, ts, hls, m4a")]
    [InlineData("{\"segmentLength\":\"00:00:30\"}", "segmentLength", "must be between 1 and 120 minutes")]
    [InlineData("{\"resumeWindow\":\"-00:00:01\"}", "resumeWindow", "must be between 0 and 1800 seconds")]
    [InlineData("{\"maxDuration\":\"8.00:00:00\"}", "maxDuration", "must be between")]
    [InlineData("{\"renditions\":[360]}", "renditions[0]", "must be one of 240, 480, 720, 1080")]
    [InlineData("{\"renditions\":[720,720]}", "renditions", "must not repeat a height")]
    [InlineData("{\"postProcessing\":{\"ladder\":true}}", "renditions", "at least one height")]
    [InlineData("{\"format\":\"m4a\",\"postProcessing\":{\"thumbnails\":true}}", "postProcessing", "audio only")]
    [InlineData("{\"thumbnailInterval\":\"00:00:01\"}", "thumbnailInterval", "must be between")]
    [InlineData("{\"destination\":{\"bucket\":\"b\",\"prefix\":\"x/../../y\"}}", "destination.prefix", "'..'")]
    [InlineData("{\"destination\":{\"bucket\":\"b\",\"prefix\":\"/abs\"}}", "destination.prefix", "must not start with '/'")]
    [InlineData("{\"destination\":{\"bucket\":\"b\\u0000\"}}", "destination.bucket", "control characters")]
    [InlineData("{\"destination\":\"s3://b\"}", "destination", "must be an object")]
    [InlineData("{\"notifications\":{\"webhooks\":[{\"url\":\"http://hooks.example.org/\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}]}}", "notifications.webhooks[0].url", "must use https")]
    [InlineData("{\"notifications\":{\"webhooks\":[{\"url\":\"ftp://hooks.example.org/\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}]}}", "notifications.webhooks[0].url", "absolute https URL")]
    [InlineData("{\"notifications\":{\"webhooks\":[{\"url\":\"https://hooks.example.org/\"}]}}", "notifications.webhooks[0].secret", "is required")]
    [InlineData("{\"notifications\":{\"webhooks\":[{\"url\":\"https://hooks.example.org/\",\"secret\":\"hunter2\"}]}}", "notifications.webhooks[0].secret", "whsec_")]
    [InlineData("{\"notifications\":{\"eventGrid\":{\"endpoint\":\"not a url\"}}}", "notifications.eventGrid.endpoint", "https endpoint")]
    [InlineData("{\"notifications\":{\"eventGrid\":{\"endpoint\":\"https://collector.example.org/api/events\"}}}", "notifications.eventGrid.endpoint", "managed identity signs in only there")]
    public async Task Put_InvalidTemplate_Answers400NamingField(string body, string field, string rule)
    {
        using var client = fixture.Service.Client();

        using var response = await client.PutAsync("api/templates/invalid", new StringContent(body, Encoding.UTF8, "application/json"));

        var rules = await ProblemAssert.NamesFieldAsync(response, field);
        Assert.Contains(rules, r => r.Contains(rule, StringComparison.Ordinal));
        using var absent = await client.GetAsync("api/templates/invalid");
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has.dot")]
    [InlineData("x12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task Put_BadName_Answers400NamingName(string name)
    {
        using var client = fixture.Service.Client();

        using var response = await client.PutAsJsonAsync($"api/templates/{Uri.EscapeDataString(name)}", new { });

        await ProblemAssert.NamesFieldAsync(response, "name");
    }

    [Fact]
    public async Task ShortSegments_AreRefusedByDefault_AndAllowedByTheDevelopmentSwitch()
    {
        using var strict = fixture.Service.Client();
        using var refused = await strict.PutAsJsonAsync("api/templates/short", new { segmentLength = "00:00:05", maxDuration = "00:00:20" });
        await ProblemAssert.NamesFieldAsync(refused, "segmentLength");

        await using var development = await RunningService.StartAsync(null, "Recording:Templates:AllowShortSegments=true");
        using var client = development.Client();
        using var accepted = await client.PutAsJsonAsync("api/templates/short", new { segmentLength = "00:00:05", maxDuration = "00:00:20" });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }
}
