using Azure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;
using Recording.Functions.Jobs;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Hosting;

/// <summary>Which capture and media job runners the service uses: local child processes, or the queue-driven jobs when <c>Recording:Jobs:Queue</c> names an account.</summary>
public sealed class CaptureJobRunnerSelectionTests
{
    private const string AzuriteConnectionString = "UseDevelopmentStorage=true";

    [Fact]
    public async Task NoQueueSettings_UsesTheLocalProcessRunner()
    {
        await using var app = Build();

        Assert.IsType<LocalProcessCaptureJobRunner>(app.Services.GetRequiredService<ICaptureJobRunner>());
        Assert.IsType<LocalProcessMediaJobRunner>(app.Services.GetRequiredService<IMediaJobRunner>());
        Assert.Null(app.Services.GetService<QueueCaptureEventListener>());
    }

    [Fact]
    public async Task QueueConnectionString_UsesTheQueueRunnerAndItsEventsListener()
    {
        await using var app = Build($"--Recording:Jobs:Queue:ConnectionString={AzuriteConnectionString}");

        Assert.IsType<QueueCaptureJobRunner>(app.Services.GetRequiredService<ICaptureJobRunner>());
        Assert.IsType<QueueMediaJobRunner>(app.Services.GetRequiredService<IMediaJobRunner>());
        Assert.NotNull(app.Services.GetService<QueueCaptureEventListener>());
        Assert.Null(app.Services.GetRequiredService<IOptions<QueueCaptureJobOptions>>().Value.Credential);
    }

    [Fact]
    public async Task QueueServiceUriAlone_UsesTheQueueRunnerWithTheManagedIdentity()
    {
        await using var app = Build("--Recording:Jobs:Queue:QueueServiceUri=https://account.queue.core.windows.net");

        // The runner builds its queue client in its constructor, which throws without a credential.
        Assert.IsType<QueueCaptureJobRunner>(app.Services.GetRequiredService<ICaptureJobRunner>());
        Assert.IsType<DefaultAzureCredential>(app.Services.GetRequiredService<IOptions<QueueCaptureJobOptions>>().Value.Credential);
    }

    [Fact]
    public async Task BadQueueSettings_FailStartupNamingEachSetting()
    {
        await using var app = Build(
            "--Recording:Jobs:Queue:QueueServiceUri=ftp://account.queue.core.windows.net",
            "--Recording:Jobs:Queue:StartQueueName=Capture_Jobs");

        var text = await StartupFailure.TextAsync(app);
        Assert.Contains("Recording:Jobs:Queue:QueueServiceUri must be an absolute http(s) URI", text, StringComparison.Ordinal);
        Assert.Contains("Recording:Jobs:Queue:StartQueueName must be 3 to 57 lowercase letters", text, StringComparison.Ordinal);
    }

    private static WebApplication Build(params string[] settings) => RecordingServiceApp.Build(
    [
        $"--urls=http://127.0.0.1:{FreePort.Next()}",
        $"--Recording:Keys:Admin:0={RunningService.AdminKey}",
        $"--Recording:Local:DataDirectory={Directory.CreateTempSubdirectory("runner-selection-").FullName}",
        .. settings,
    ]);
}
