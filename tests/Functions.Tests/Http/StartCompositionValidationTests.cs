using System.Net;
using System.Text;

namespace Recording.Functions.Tests.Http;

/// <summary>Bad composition requests get a 400 problem+json naming the field and the rule; nothing is scheduled.</summary>
public sealed class StartCompositionValidationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private const string Track = "\"tracks\":[{\"recordingId\":\"alice\"}]";

    [Theory]
    [InlineData("{}", "tracks", "must list 1 to 16 tracks")]
    [InlineData("{\"tracks\":[]}", "tracks", "must list 1 to 16 tracks")]
    [InlineData("{\"tracks\":[null]}", "tracks[0]", "must be an object with a recordingId")]
    [InlineData("{\"tracks\":[{\"participant\":\"Alice\"}]}", "tracks[0].recordingId", "must be 1 to 64 characters")]
    [InlineData("{\"tracks\":[{\"recordingId\":\"../alice\"}]}", "tracks[0].recordingId", "must be 1 to 64 characters")]
    [InlineData("{\"tracks\":[{\"recordingId\":\"a\"},{\"recordingId\":\"a\"}]}", "tracks[1].recordingId", "must not repeat a track (the same recording is tracks[0])")]
    [InlineData("{\"tracks\":[{\"recordingId\":\"a\",\"participant\":\"\\u0007\"}]}", "tracks[0].participant", "must be 1 to 64 characters without control characters")]
    [InlineData("{\"tracks\":[{\"recordingId\":\"a\",\"role\":\"co host\"}]}", "tracks[0].role", "must be 1 to 32 characters")]
    [InlineData("{" + Track + ",\"layout\":\"mosaic\"}", "layout", "must be one of grid, speaker, single")]
    [InlineData("{" + Track + ",\"size\":\"1281x720\"}", "size", "must have even width and height")]
    [InlineData("{" + Track + ",\"size\":\"3840x2160\"}", "size", "must not exceed 1920x1080")]
    [InlineData("{" + Track + ",\"size\":\"big\"}", "size", "must be WIDTHxHEIGHT")]
    [InlineData("{" + Track + ",\"roles\":[\"host\"]}", "roles", "must include the role of at least one track")]
    [InlineData("{" + Track + ",\"id\":\"a:b\"}", "id", "must be 1 to 64 characters")]
    [InlineData("{" + Track + ",\"layuot\":\"grid\"}", "layuot", "is not a known field")]
    public async Task Start_BadRequest_Answers400NamingFieldAndRule(string body, string field, string rule)
    {
        using var client = fixture.Service.Client();

        using var response = await client.PostAsync("api/compositions", new StringContent(body, Encoding.UTF8, "application/json"));

        var rules = await ProblemAssert.NamesFieldAsync(response, field);
        Assert.Contains(rules, r => r.Contains(rule, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_OfRecordingsThatDoNotExist_Answers400NamingEachTrack_AndSchedulesNothing()
    {
        using var client = fixture.Service.Client();

        using var response = await client.PostAsync("api/compositions", new StringContent(
            "{\"id\":\"room-nobody\",\"tracks\":[{\"recordingId\":\"no-such-alice\"},{\"recordingId\":\"no-such-bob\"}]}", Encoding.UTF8, "application/json"));

        var rules = await ProblemAssert.NamesFieldAsync(response, "tracks[1].recordingId");
        Assert.Contains(rules, r => r.Contains("there is no recording 'no-such-bob'", StringComparison.Ordinal));
        await ProblemAssert.NamesFieldAsync(await client.PostAsync("api/compositions", new StringContent(
            "{\"id\":\"room-nobody\",\"tracks\":[{\"recordingId\":\"no-such-alice\"}]}", Encoding.UTF8, "application/json")), "tracks[0].recordingId");
        using var status = await client.GetAsync("api/compositions/room-nobody");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Theory]
    [InlineData("top=0", "top", "must be a whole number between 1 and 1000")]
    [InlineData("status=Sleeping", "status", "must be one or more of")]
    [InlineData("from=yesterday", "from", "must be an ISO 8601 date and time")]
    public async Task List_WithABadQuery_Answers400NamingIt(string query, string field, string rule)
    {
        using var client = fixture.Service.Client();

        using var response = await client.GetAsync("api/compositions?" + query);

        var rules = await ProblemAssert.NamesFieldAsync(response, field);
        Assert.Contains(rules, r => r.Contains(rule, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_OfAnUnknownComposition_Is404_AndABadFlagIsNamed()
    {
        using var client = fixture.Service.Client();

        using var unknown = await client.DeleteAsync("api/compositions/room-nobody?deleteAssets=true");
        using var badFlag = await client.DeleteAsync("api/compositions/room-nobody?deleteAssets=maybe");

        await ProblemAssert.IsProblemAsync(unknown, 404);
        var rules = await ProblemAssert.NamesFieldAsync(badFlag, "deleteAssets");
        Assert.Contains("must be true or false", rules);
    }

    [Fact]
    public async Task Cancel_OfAnUnknownComposition_Is404_AndABadIdIsNamed()
    {
        using var client = fixture.Service.Client();

        using var unknown = await client.PostAsync("api/compositions/room-nobody/cancel", null);
        using var badId = await client.PostAsync("api/compositions/room%20nobody/cancel", null);

        Assert.Contains("room-nobody", (await ProblemAssert.IsProblemAsync(unknown, 404)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.NamesFieldAsync(badId, "id");
    }
}
