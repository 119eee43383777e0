using System.Net;
using System.Text;

namespace Recording.Functions.Tests.Http;

/// <summary>Bad start requests get a 400 problem+json naming the field and the rule, and never reach the orchestration.</summary>
public sealed class StartRecordingValidationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private const string Source = "\"source\":\"rtmp://127.0.0.1:1935/live/a\"";

    [Theory]
    [InlineData("{}", "source", "is required")]
    [InlineData("{\"sources\":[]}", "source", "is required")]
    [InlineData("{\"source\":\"file:///etc/passwd\"}", "source", "scheme 'file' is not allowed")]
    [InlineData("{\"source\":\"concat:a|b\"}", "source", "scheme 'concat' is not allowed")]
    [InlineData("{\"sources\":[\"pipe:0\"]}", "sources[0]", "scheme 'pipe' is not allowed")]
    [InlineData("{\"sources\":[\"rtmp://h/a\",\"rtmp://h/b\"]}", "sources", "must list one URL: a recording captures one source")]
    [InlineData("{" + Source + ",\"template\":{\"segmentLength\":\"00:00:00\"}}", "template.segmentLength", "must be between 1 and 120 minutes")]
    [InlineData("{" + Source + ",\"template\":{\"segmentLength\":\"02:01:00\"}}", "template.segmentLength", "must be between 1 and 120 minutes")]
    [InlineData("{" + Source + ",\"template\":{\"segmentLength\":\"PT121M\"}}", "template.segmentLength", "must be between 1 and 120 minutes")]
    [InlineData("{" + Source + ",\"template\":{\"resumeWindow\":\"00:30:01\"}}", "template.resumeWindow", "must be between 0 and 1800 seconds")]
    [InlineData("{" + Source + ",\"template\":{\"segmentLength\":7}}", "template.segmentLength", "must be a duration")]
    [InlineData("{" + Source + ",\"template\":{\"segmentLenght\":\"00:10:00\"}}", "template.segmentLenght", "is not a known field")]
    [InlineData("{" + Source + ",\"template\":\"no-such-template\"}", "template", "there is no template 'no-such-template'")]
    [InlineData("{" + Source + ",\"template\":{\"destination\":{\"kind\":\"s3\",\"bucket\":\"recordings\"}}}", "template.destination.region", "rule: required")]
    [InlineData("{" + Source + ",\"template\":{\"destination\":{\"kind\":\"s3\",\"bucket\":\"My_Bucket\",\"region\":\"eu-west-1\"}}}", "template.destination.bucket", "rule: bucket-name")]
    [InlineData("{" + Source + ",\"template\":{\"destination\":{\"kind\":\"ftp\",\"bucket\":\"recordings\"}}}", "template.destination", "kind must be s3, azureBlob or localFolder")]
    [InlineData("{" + Source + ",\"template\":{\"destination\":{\"ref\":\"corporate\"}}}", "template.destination.ref", "named destinations are not configured")]
    [InlineData("{" + Source + ",\"template\":{\"destination\":{\"kind\":\"localFolder\",\"path\":\"/etc/cron.d\"}}}", "template.destination.path", "must be inside the data directory's assets folder")]
    [InlineData("{" + Source + ",\"template\":\"../etc\"}", "template", "must be 1 to 64 characters")]
    [InlineData("{" + Source + ",\"id\":\"a/b\"}", "id", "must be 1 to 64 characters")]
    [InlineData("{" + Source + ",\"id\":\"" + "x1234567890123456789012345678901234567890123456789012345678901234" + "\"}", "id", "must be 1 to 64 characters")]
    [InlineData("{\"source\":\"rtmp://h/a\"", "body", "must be well-formed JSON")]
    [InlineData("[1,2]", "body", "must be a JSON object")]
    [InlineData("", "body", "is required")]
    public async Task Start_BadRequest_Answers400NamingFieldAndRule(string body, string field, string rule)
    {
        using var client = fixture.Service.Client();
        var before = fixture.Service.Recordings.Started.Count;

        using var response = await client.PostAsync("api/recordings", new StringContent(body, Encoding.UTF8, "application/json"));

        var rules = await ProblemAssert.NamesFieldAsync(response, field);
        Assert.Contains(rules, r => r.Contains(rule, StringComparison.Ordinal));
        Assert.Equal(before, fixture.Service.Recordings.Started.Count);
    }

    [Fact]
    public async Task Start_ToALocalFolder_IsAcceptedInsideTheAssetsFolder_AndRefusedOutsideItThroughDotDot()
    {
        using var client = fixture.Service.Client();
        var assets = Path.Combine(fixture.Service.DataDirectory, "assets");
        string Body(string id, string path) => new System.Text.Json.Nodes.JsonObject
        {
            ["source"] = "rtmp://127.0.0.1:1935/live/a",
            ["id"] = id,
            ["template"] = new System.Text.Json.Nodes.JsonObject { ["destination"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "localFolder", ["path"] = path } },
        }.ToJsonString();

        using var inside = await client.PostAsync("api/recordings", new StringContent(Body("rec-local-in", Path.Combine(assets, "team-a")), Encoding.UTF8, "application/json"));
        using var escaping = await client.PostAsync("api/recordings", new StringContent(Body("rec-local-out", Path.Combine(assets, "..", "engine")), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, inside.StatusCode);
        await ProblemAssert.NamesFieldAsync(escaping, "template.destination.path");
    }

    [Fact]
    public async Task Start_BodyOverOneMebibyte_Answers400NamingBody()
    {
        using var client = fixture.Service.Client();
        var body = "{\"source\":\"rtmp://h/a\",\"streamId\":\"" + new string('a', 1024 * 1024) + "\"}";

        using var response = await client.PostAsync("api/recordings", new StringContent(body, Encoding.UTF8, "application/json"));

        var rules = await ProblemAssert.NamesFieldAsync(response, "body");
        Assert.Contains(rules, r => r.Contains("at most 1048576 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ChunkedBodyOverOneMebibyte_Answers400NamingBody()
    {
        using var client = fixture.Service.Client();
        var bytes = Encoding.UTF8.GetBytes("{\"source\":\"rtmp://h/a\",\"streamId\":\"" + new string('a', 1024 * 1024) + "\"}");
        // A stream of unknown length is sent chunked: no Content-Length to refuse early, so the cap applies while reading.
        using var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("api/recordings", content);

        Assert.Null(response.RequestMessage?.Content?.Headers.ContentLength);
        await ProblemAssert.NamesFieldAsync(response, "body");
    }

    [Fact]
    public async Task Start_NotJson_Answers415Problem()
    {
        using var client = fixture.Service.Client();

        using var response = await client.PostAsync("api/recordings", new StringContent("source=rtmp://h/a", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await ProblemAssert.IsProblemAsync(response, 415);
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
