using Recording.TestSupport;

namespace Recording.Functions.Tests.Deployment;

/// <summary>The output of scripts/package-azure.sh, made once for the tests that read it: the service and worker image folders.</summary>
public sealed class AzurePackage : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("azure-package-").FullName;

    public string Service => Path.Combine(folder, "service");

    public string Worker => Path.Combine(folder, "worker");

    public async Task InitializeAsync()
    {
        await using var script = ManagedProcess.Start("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "package-azure.sh"), folder]);
        var exitCode = await script.WaitForExitAsync(TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, $"package-azure.sh exited {exitCode}:\n{script.Tail()}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}
