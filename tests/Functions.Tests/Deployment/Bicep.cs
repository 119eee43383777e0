using System.Reflection;
using System.Text.Json.Nodes;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Deployment;

/// <summary>The Bicep CLI from the NuGet package the test project downloads (it builds and lints offline).</summary>
internal static class Bicep
{
    public static string MainFile => Path.Combine(RepositoryPaths.Root, "infra", "bicep", "main.bicep");

    private static string Executable => typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepExecutable").Value!;

    /// <summary>Runs bicep; returns its exit code, stdout and stderr, where its diagnostics go (warnings too, with exit code 0).</summary>
    public static async Task<(int ExitCode, string Output, string Diagnostics)> RunAsync(params string[] arguments)
    {
        var (exitCode, output, errors) = await ProcessOutput.RunAsync(Executable, arguments, RepositoryPaths.Root);
        return (exitCode, output, errors.Trim());
    }

    public static async Task<CompiledTemplate> BuildMainAsync()
    {
        var (exitCode, output, diagnostics) = await RunAsync("build", MainFile, "--stdout");
        Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep build exited {exitCode}: {diagnostics}");
        return new CompiledTemplate(JsonNode.Parse(output)!.AsObject());
    }
}
