using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recording.TestSupport;

namespace Recording.Bench.Service;

/// <summary>The real service executable (Release, copied next to the bench with its worker) on embedded defaults: SQLite engine, local-folder destination.</summary>
internal sealed class ServiceUnderBench : IAsyncDisposable
{
    private const string AdminKey = "bench-admin-key-0123456789abcdefghij";

    private readonly ManagedProcess process;

    private ServiceUnderBench(ManagedProcess process, Uri baseAddress, string dataDirectory)
    {
        this.process = process;
        DataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
        Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public HttpClient Client { get; }

    public string DataDirectory { get; }

    /// <summary>Where the default local-folder destination puts the assets (object keys are paths below it).</summary>
    public string AssetsFolder => Path.Combine(DataDirectory, "assets");

    public string Tail() => process.Tail(60);

    /// <summary>The service most recently started, for the failure report in Program.cs.</summary>
    public static ServiceUnderBench? Last { get; private set; }

    public bool HasExited => process.HasExited;

    public static async Task<ServiceUnderBench> StartAsync()
    {
        var port = FreePort.Next();
        var data = Directory.CreateTempSubdirectory("service-bench-").FullName;
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "Recording.Functions.dll"),
            $"--urls=http://127.0.0.1:{port}",
            $"--Recording:Keys:Admin:0={AdminKey}",
            $"--Recording:Local:DataDirectory={data}",
            "--Recording:Templates:AllowShortSegments=true",
            "--Recording:Templates:AllowHttpWebhooks=true",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        ];
        var service = new ServiceUnderBench(ManagedProcess.Start("dotnet", arguments, data), new Uri($"http://127.0.0.1:{port}/"), data);
        Last = service;
        await HealthEndpoint.WaitAsync(service.Client, service.process, TimeSpan.FromSeconds(60));
        return service;
    }

    /// <summary>
    /// POSTs, trying a connection-level failure twice more (start and stop are idempotent); each failure is reported on stderr
    /// with the address, because one was seen once, under load, naming a port nothing of the bench used.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(string path, JsonNode? body)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Client.PostAsync(path, new StringContent(body?.ToJsonString() ?? "", Encoding.UTF8, "application/json"));
            }
            catch (HttpRequestException ex) when (attempt < 3)
            {
                await Console.Error.WriteLineAsync($"POST {new Uri(Client.BaseAddress!, path)} attempt {attempt} failed (service exited: {process.HasExited}): {ex.Message}");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Starts a recording; throws with the service's answer unless it is 202.</summary>
    public async Task StartAsync(JsonObject body)
    {
        using var answer = await PostAsync("api/recordings", body);
        if ((int)answer.StatusCode != 202)
        {
            throw new InvalidOperationException($"start answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }
    }

    public async Task StopAsync(string id)
    {
        using var answer = await PostAsync($"api/recordings/{id}/stop", null);
        if ((int)answer.StatusCode != 202)
        {
            throw new InvalidOperationException($"stop of {id} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }
    }

    public async Task<JsonElement> StatusAsync(string id) =>
        (await Client.GetFromJsonAsync<JsonElement>($"api/recordings/{id}")).Clone();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await process.DisposeAsync();
    }
}
