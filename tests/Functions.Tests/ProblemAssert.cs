using System.Text.Json;

namespace Recording.Functions.Tests;

/// <summary>Checks that an answer is application/problem+json with the expected status, and reads its errors map.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose errors name <paramref name="field"/>; returns that field's rules.</summary>
    public static async Task<string[]> NamesFieldAsync(HttpResponseMessage response, string field)
    {
        var problem = await IsProblemAsync(response, 400);
        Assert.Equal("urn:recording:problem:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var rules), $"errors do not name '{field}': {errors}");
        return [.. rules.EnumerateArray().Select(rule => rule.GetString()!)];
    }
}
