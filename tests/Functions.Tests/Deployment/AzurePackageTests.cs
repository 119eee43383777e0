using System.Net;
using System.Text.Json;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Deployment;

/// <summary>
/// What scripts/package-azure.sh publishes is what the images hold: a Functions app root whose custom handler starts the
/// way the Functions host starts it, and a worker that runs on its own. Both are self-contained: they run here with
/// DOTNET_ROOT pointing nowhere, as in images without .NET 10.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AzurePackageTests(AzurePackage package) : IClassFixture<AzurePackage>
{
    private static readonly Dictionary<string, string> NoDotnet = new() { ["DOTNET_ROOT"] = "/nonexistent" };

    [Fact]
    public void ServiceFolder_IsAFunctionsAppRoot_WithTheHandlerAndEveryFunctionDefinition()
    {
        var hostJson = Path.Combine(package.Service, "host.json");
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "host.json")), File.ReadAllBytes(hostJson));

        using var host = JsonDocument.Parse(File.ReadAllText(hostJson));
        var handler = host.RootElement.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        var executable = Path.Combine(package.Service, handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!);
        Assert.True(File.Exists(executable), $"host.json names {executable}, which the package lacks");
        Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable");

        var definitions = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src", "Functions", "FunctionDefinitions"));
        Assert.NotEmpty(definitions);
        foreach (var definition in definitions)
        {
            var packaged = Path.Combine(package.Service, Path.GetFileName(definition), "function.json");
            Assert.True(File.Exists(packaged), $"the package lacks {Path.GetFileName(definition)}/function.json at its root");
            Assert.Equal(File.ReadAllBytes(Path.Combine(definition, "function.json")), File.ReadAllBytes(packaged));
        }

        Assert.False(Directory.Exists(Path.Combine(package.Service, "FunctionDefinitions")), "the definitions belong at the root only");
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "infra", "docker", "service.Dockerfile")), File.ReadAllBytes(Path.Combine(package.Service, "Dockerfile")));
    }

    [Fact]
    public async Task PackagedHandler_ServesTheApiOnTheCustomHandlerPort_AsTheFunctionsHostStartsIt()
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>(NoDotnet)
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Recording__Keys__Admin__0"] = RunningService.AdminKey,
            ["Recording__Local__DataDirectory"] = Directory.CreateTempSubdirectory("packaged-service-").FullName,
        };
        // The host starts defaultExecutablePath in the app root, with no arguments.
        await using var handler = ManagedProcess.Start(Path.Combine(package.Service, "Recording.Functions"), [], package.Service, environment);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        await HealthEndpoint.WaitAsync(client, handler, TimeSpan.FromSeconds(60));

        using var anonymous = await client.GetAsync("api/recordings");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/recordings") { Headers = { { "x-functions-key", RunningService.AdminKey } } };
        using var listed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    [Fact]
    public async Task PackagedWorker_RunsOnItsOwn_AndOffersTheJobCommand()
    {
        var worker = Path.Combine(package.Worker, "Recording.Worker");
        await using var help = ManagedProcess.Start(worker, ["--help"], package.Worker, NoDotnet);

        Assert.Equal(0, await help.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(help.Lines, l => l.TrimStart().StartsWith("job ", StringComparison.Ordinal));
        Assert.Contains(help.Lines, l => l.TrimStart().StartsWith("capture ", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "infra", "docker", "worker.Dockerfile")), File.ReadAllBytes(Path.Combine(package.Worker, "Dockerfile")));
    }
}
