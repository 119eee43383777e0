using System.Net.Http.Headers;
using Recording.TestSupport;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>The real service executable (Recording.Functions.dll) as a child process on a free loopback port, with a data folder that survives a restart.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ManagedProcess process;

    private ServiceProcess(ManagedProcess process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => process.Id;

    public string Tail() => process.Tail(80);

    /// <summary>Everything the service wrote so far (stdout and stderr).</summary>
    public string Transcript => process.Transcript;

    public static Task<ServiceProcess> StartAsync(string dataDirectory, params string[] settings) => StartAsync(dataDirectory, null, settings);

    /// <param name="environment">Added to the service's environment, which the workers it starts inherit.</param>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, IDictionary<string, string>? environment, params string[] settings)
    {
        var port = FreePort.Next();
        // The project reference copies the service (and the worker it starts) next to the tests, built in the same configuration.
        var dll = Path.Combine(AppContext.BaseDirectory, "Recording.Functions.dll");
        string[] args =
        [
            dll,
            $"--urls=http://127.0.0.1:{port}",
            $"--Recording:Keys:Admin:0={RunningService.AdminKey}",
            $"--Recording:Local:DataDirectory={dataDirectory}",
            "--Recording:Templates:AllowShortSegments=true",
            "--Recording:Templates:AllowHttpWebhooks=true",
            .. settings.Select(setting => "--" + setting),
        ];
        var process = ManagedProcess.Start("dotnet", args, dataDirectory, environment);
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var client = service.Client();
        await HealthEndpoint.WaitAsync(client, process, TimeSpan.FromSeconds(60));
        return service;
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-functions-key", RunningService.AdminKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>SIGKILL to the service alone: its capture worker lives on, as after a real crash.</summary>
    public async Task CrashAsync()
    {
        process.Signal(Posix.SigKill);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGTERM, as the platform ends an instance it moves the app away from: the service shuts down in order.</summary>
    public async Task ShutDownAsync()
    {
        process.Signal(Posix.SigTerm);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
