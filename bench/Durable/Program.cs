using System.Runtime.InteropServices;
using Recording.Durable.Backends;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.Backends.Sqlite;
using Recording.Durable.Bench;
using Recording.TestSupport;

// Measures the engine on each backend and prints a markdown table; see BenchSettings for the options.
var settings = BenchSettings.Parse(args);
var scratch = Directory.CreateTempSubdirectory("durable-bench-").FullName;
AzuriteServer? azurite = null;
var results = new List<BenchResult>();
try
{
    var backends = new List<BenchBackend>();
    if (settings.Backends.Contains("sqlite"))
    {
        backends.Add(new BenchBackend("SQLite (file, WAL)", settings.Orchestrations, async () =>
        {
            var backend = new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = Path.Combine(scratch, $"{Guid.NewGuid():N}.db") });
            await backend.CreateIfNotExistsAsync();
            return backend;
        }));
    }

    if (settings.Backends.Contains("azurite"))
    {
        Console.Error.WriteLine("Starting Azurite...");
        azurite = await AzuriteServer.StartAsync();
        var connectionString = azurite.ConnectionString;
        backends.Add(new BenchBackend("Azure Storage (Azurite, in memory)", settings.AzuriteOrchestrations, async () =>
        {
            var backend = new AzureStorageBackend(new AzureStorageBackendOptions
            {
                ConnectionString = connectionString,
                TaskHubName = $"bench{Guid.NewGuid():N}"[..20],
            });
            await backend.CreateIfNotExistsAsync();
            return backend;
        }));
    }

    foreach (var target in backends)
    {
        Console.Error.WriteLine($"{target.Name}: {settings.RoundTrips} sequential round trips...");
        var roundTrips = await DurableScenarios.RoundTripsAsync(await target.CreateFreshAsync(), settings.RoundTrips);
        Console.Error.WriteLine($"{target.Name}: {target.Orchestrations} orchestrations of 3 sequential activities...");
        var sequential = await DurableScenarios.SequentialOrchestrationsAsync(await target.CreateFreshAsync(), target.Orchestrations);
        Console.Error.WriteLine($"{target.Name}: fan-out of {settings.FanOut} activities...");
        var fanOut = await DurableScenarios.FanOutAsync(await target.CreateFreshAsync(), settings.FanOut);
        results.Add(new BenchResult(target.Name, roundTrips, target.Orchestrations, sequential, settings.FanOut, fanOut));
    }
}
finally
{
    if (azurite is not null)
    {
        await azurite.DisposeAsync();
    }

    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(scratch, recursive: true);
}

var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {CpuModel()}";
Console.WriteLine(ResultTable.Render(results, machine));

static string CpuModel()
{
    const string CpuInfo = "/proc/cpuinfo";
    return File.Exists(CpuInfo)
        ? File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : "unknown CPU";
}
