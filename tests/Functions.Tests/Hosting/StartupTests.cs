using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recording.Durable.Client;
using Recording.Functions.Hosting;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Hosting;

/// <summary>Startup: settings validated with messages naming setting and rule, the custom handler port, and the real executable.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Start_WithoutAdminKey_FailsNamingTheSetting()
    {
        await using var app = RecordingServiceApp.Build([$"--urls=http://127.0.0.1:{FreePort.Next()}"]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Recording:Keys:Admin must hold at least one key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithShortKeyAndBadUrls_FailsNamingEachSettingButNotTheKey()
    {
        const string shortKey = "short-key";
        await using var app = RecordingServiceApp.Build(
        [
            $"--Recording:Keys:Admin:0={RunningService.AdminKey}",
            $"--Recording:Keys:Recorder:0={shortKey}",
            "--Recording:Http:Urls=ftp://127.0.0.1:1",
        ]);

        var text = await StartupFailure.TextAsync(app);
        Assert.Contains("Recording:Keys:Recorder:0 must be at least 24 characters", text, StringComparison.Ordinal);
        Assert.Contains("Recording:Http:Urls must be http or https URLs", text, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, text.Replace("Recording:Keys", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "", "Recording:Engine:AzureStorageConnectionString or Recording:Engine:AzureStorageAccountName (one of them, not both) must be set")]
    [InlineData("UseDevelopmentStorage=true", "recordings1", "(one of them, not both)")]
    [InlineData("", "Recordings_1", "Recording:Engine:AzureStorageAccountName must be 3 to 24 lowercase letters or digits")]
    public async Task AzureStorageEngine_NeedsAConnectionStringOrAnAccountName_AndNamesTheRuleItBreaks(string connectionString, string accountName, string expected)
    {
        await using var app = RecordingServiceApp.Build(
        [
            $"--urls=http://127.0.0.1:{FreePort.Next()}",
            $"--Recording:Keys:Admin:0={RunningService.AdminKey}",
            "--Recording:Engine:Backend=azureStorage",
            $"--Recording:Engine:AzureStorageConnectionString={connectionString}",
            $"--Recording:Engine:AzureStorageAccountName={accountName}",
        ]);

        Assert.Contains(expected, await StartupFailure.TextAsync(app), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DefaultVersion", " ", "Recording:Engine:DefaultVersion must be 1 to 100 characters without control characters")]
    [InlineData("VersionMatchStrategy", "1", "Recording:Engine:VersionMatchStrategy must be CurrentOrOlder, Strict or None")]
    [InlineData("VersionFailureStrategy", "Retry", "Recording:Engine:VersionFailureStrategy must be Reject or Fail")]
    public async Task BadVersioningSettings_FailStartupNamingTheSettingAndTheRule(string setting, string value, string expected)
    {
        await using var app = RecordingServiceApp.Build(
        [
            $"--urls=http://127.0.0.1:{FreePort.Next()}",
            $"--Recording:Keys:Admin:0={RunningService.AdminKey}",
            $"--Recording:Engine:{setting}={value}",
        ]);

        Assert.Contains(expected, await StartupFailure.TextAsync(app), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersioningSettings_ReachTheEnginesClientAndWorker_AndTheStrategiesIgnoreCase()
    {
        await using var service = await RunningService.StartAsync(
            null, "Recording:Engine:DefaultVersion=2.1", "Recording:Engine:VersionMatchStrategy=strict", "Recording:Engine:VersionFailureStrategy=FAIL");
        var client = service.Services.GetRequiredService<DurableTaskClient>();

        // The client stamps its version; the worker runs that version (the orchestrator name is unknown, so it fails for that).
        await client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", options: new StartOrchestrationOptions("stamped"));
        // An older version: Strict refuses it, and Fail ends it rather than leaving it for another worker.
        await client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", options: new StartOrchestrationOptions("older", Version: "2.0"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stamped = await client.WaitForInstanceCompletionAsync("stamped", deadline.Token);
        var older = await client.WaitForInstanceCompletionAsync("older", deadline.Token);

        Assert.Equal("2.1", stamped.Version);
        Assert.Equal("OrchestratorNotFound", stamped.FailureDetails!.ErrorType);
        Assert.Equal("VersionMismatch", older.FailureDetails!.ErrorType);
        Assert.Contains("is not this worker's '2.1' (Strict)", older.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomHandlerPort_WinsOverUrls()
    {
        var handlerPort = FreePort.Next();
        await using var service = await RunningService.StartAsync(null, $"FUNCTIONS_CUSTOMHANDLER_PORT={handlerPort}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{handlerPort}/") };

        using var health = await client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Executable_ServesOnTheHandlerPort_KeepsStateUnderDotRecording_AndNeverLogsKeys()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("functions-exe-").FullName;
        var port = FreePort.Next();
        var dll = Path.Combine(AppContext.BaseDirectory, "Recording.Functions.dll");
        await using var process = ManagedProcess.Start("dotnet", [dll], workingDirectory, new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Recording__Keys__Admin__0"] = RunningService.AdminKey,
            ["Logging__LogLevel__Default"] = "Debug",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Eventually.UntilAsync(
            async () => (await client.GetAsync("api/health")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "the executable to answer /api/health" + Environment.NewLine + process.Tail());

        using var put = await client.PutAsJsonAsync($"api/templates/exe?code={RunningService.AdminKey}", new { format = "mp4" });
        using var unauthorized = await client.GetAsync("api/templates/exe");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.True(File.Exists(Path.Combine(workingDirectory, ".recording", "service.db")));
        Assert.Contains(process.Lines, line => line.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
        Assert.DoesNotContain(RunningService.AdminKey, process.Transcript, StringComparison.Ordinal);
    }
}
