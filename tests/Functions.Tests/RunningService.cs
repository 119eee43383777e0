using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recording.Functions.Hosting;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Functions.Tests.Doubles;
using Recording.TestSupport;

namespace Recording.Functions.Tests;

/// <summary>The real app on a real Kestrel listener on a free loopback port, with test doubles behind the orchestration and storage interfaces.</summary>
public sealed class RunningService : IAsyncDisposable
{
    public const string AdminKey = "admin-key-0123456789abcdefghijklmnop";
    public const string RecorderKey = "recorder-key-0123456789abcdefghijklmn";

    private readonly WebApplication app;

    private RunningService(WebApplication app, Uri baseAddress, string dataDirectory, CapturedLogs logs)
    {
        this.app = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Logs = logs;
        Recordings = (InMemoryRecordingService)app.Services.GetRequiredService<IRecordingService>();
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; }

    public InMemoryRecordingService Recordings { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<RunningService> StartAsync(string? dataDirectory = null, params string[] settings)
    {
        var port = FreePort.Next();
        dataDirectory ??= Directory.CreateTempSubdirectory("functions-tests-").FullName;
        var logs = new CapturedLogs();
        string[] args =
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--Recording:Keys:Admin:0={AdminKey}",
            $"--Recording:Keys:Recorder:0={RecorderKey}",
            $"--Recording:Local:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Debug",
            .. settings.Select(setting => "--" + setting),
        ];
        var app = RecordingServiceApp.Build(args, builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton<IRecordingService, InMemoryRecordingService>();
            builder.Services.AddSingleton<IStorageValidation, RuleCheckingStorageValidation>();
        });
        await app.StartAsync();
        return new RunningService(app, new Uri($"http://127.0.0.1:{port}/"), dataDirectory, logs);
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
