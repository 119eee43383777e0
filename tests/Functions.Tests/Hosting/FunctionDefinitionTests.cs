using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Recording.Functions.Http;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Hosting;

/// <summary>The app's routes, its function.json files, host.json and the OpenAPI document all describe the same functions.</summary>
public sealed class FunctionDefinitionTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static readonly string DefinitionsFolder = Path.Combine(RepositoryPaths.Root, "src", "Functions", "FunctionDefinitions");

    private sealed record Function(string Name, string Route, string Method, bool Anonymous);

    private IReadOnlyList<Function> MappedFunctions() =>
        [.. fixture.Service.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .Select(endpoint => new Function(
                endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "(unnamed " + endpoint.RoutePattern.RawText + ")",
                endpoint.RoutePattern.RawText!.TrimStart('/')["api/".Length..],
                endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant(),
                endpoint.Metadata.GetMetadata<RequiresKey>()?.Role is null))];

    [Fact]
    public void EveryMappedFunction_HasOneFunctionJson_WithItsRouteMethodAndAuthLevel()
    {
        var mapped = MappedFunctions();
        Assert.Equal(20, mapped.Count);

        var defined = Directory.GetDirectories(DefinitionsFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(mapped.Select(f => f.Name).Order(StringComparer.Ordinal), defined);

        foreach (var function in mapped)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(DefinitionsFolder, function.Name, "function.json")));
            var trigger = document.RootElement.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
            Assert.Equal([function.Method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(function.Anonymous ? "anonymous" : "function", trigger.GetProperty("authLevel").GetString());
        }
    }

    [Fact]
    public void HostJson_ForwardsHttpToTheCustomHandlerExecutable()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var handler = document.RootElement.GetProperty("customHandler");

        Assert.Equal("2.0", document.RootElement.GetProperty("version").GetString());
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal(typeof(RequiresKey).Assembly.GetName().Name, handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("api", document.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_CoversEveryFunction()
    {
        using var client = fixture.Service.Client(key: null);

        var document = await client.GetFromJsonAsync<JsonElement>("api/openapi.json");

        var paths = document.GetProperty("paths");
        // The document does not describe the route that serves it.
        foreach (var function in MappedFunctions().Where(f => f.Name != "OpenApi"))
        {
            Assert.True(paths.TryGetProperty("/api/" + function.Route, out var path), $"{function.Route} is missing from the OpenAPI document");
            Assert.True(path.TryGetProperty(function.Method, out _), $"{function.Method} {function.Route} is missing from the OpenAPI document");
        }

        var start = paths.GetProperty("/api/recordings").GetProperty("post");
        Assert.True(start.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(start.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(start.GetProperty("responses").TryGetProperty("400", out _));
        var template = document.GetProperty("components").GetProperty("schemas").GetProperty("StartRecordingRequest").GetProperty("properties").GetProperty("template");
        Assert.Equal(2, template.GetProperty("oneOf").GetArrayLength());
        Assert.Contains("segmentLength", document.GetRawText(), StringComparison.Ordinal);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("x-functions-key", schemes.GetProperty("functionKeyHeader").GetProperty("name").GetString());
        Assert.Equal("code", schemes.GetProperty("functionKeyQuery").GetProperty("name").GetString());
    }
}
