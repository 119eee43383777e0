using System.Net;
using System.Net.Http.Json;

namespace Recording.Functions.Tests.Http;

/// <summary>Keys as Azure Functions: 401 without a valid key, 403 for a recorder key on an admin function, and keys never echoed or logged.</summary>
public sealed class FunctionKeyTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Theory]
    [InlineData("POST", "api/recordings")]
    [InlineData("GET", "api/recordings")]
    [InlineData("GET", "api/recordings/x")]
    [InlineData("POST", "api/recordings/x/stop")]
    [InlineData("DELETE", "api/recordings/x")]
    [InlineData("GET", "api/templates/t")]
    [InlineData("POST", "api/storage/validate")]
    public async Task Function_WithoutKey_Answers401Problem(string method, string path)
    {
        using var client = fixture.Service.Client(key: null);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

        var problem = await ProblemAssert.IsProblemAsync(response, 401);
        Assert.Contains("x-functions-key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_WithUnknownKey_Answers401()
    {
        using var client = fixture.Service.Client(key: "not-a-key-not-a-key-not-a-key-123");

        using var response = await client.GetAsync("api/recordings");

        await ProblemAssert.IsProblemAsync(response, 401);
    }

    [Theory]
    [InlineData("PUT", "api/templates/t")]
    [InlineData("GET", "api/templates/t")]
    [InlineData("DELETE", "api/templates/t")]
    [InlineData("DELETE", "api/recordings/x")]
    [InlineData("POST", "api/storage/validate")]
    public async Task AdminFunction_WithRecorderKey_Answers403(string method, string path)
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

        var problem = await ProblemAssert.IsProblemAsync(response, 403);
        Assert.Contains("admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecorderFunctions_WithRecorderKey_AreAllowed()
    {
        using var client = fixture.Service.Client(RunningService.RecorderKey);

        using var list = await client.GetAsync("api/recordings");
        using var get = await client.GetAsync("api/recordings/unknown-id");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task KeyInCodeQuery_IsAcceptedAndNeverLogged()
    {
        using var client = fixture.Service.Client(key: null);

        using var response = await client.PostAsJsonAsync($"api/recordings?code={RunningService.AdminKey}", new { id = "rec-code", source = "rtmp://127.0.0.1/live/a" });
        using var forbidden = await client.GetAsync($"api/templates/t?code={RunningService.RecorderKey}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var answered = await response.Content.ReadAsStringAsync() + response.Headers + await forbidden.Content.ReadAsStringAsync();
        Assert.DoesNotContain(RunningService.AdminKey, answered, StringComparison.Ordinal);
        Assert.DoesNotContain(RunningService.RecorderKey, answered, StringComparison.Ordinal);
        Assert.NotEmpty(fixture.Service.Logs.Lines);
        Assert.DoesNotContain(fixture.Service.Logs.Lines, line => line.Contains(RunningService.AdminKey, StringComparison.Ordinal) || line.Contains(RunningService.RecorderKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_AndOpenApi_NeedNoKey()
    {
        using var client = fixture.Service.Client(key: null);

        using var health = await client.GetAsync("api/health");
        using var openApi = await client.GetAsync("api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
    }
}
