using Recording.Bench.Service;

// Benchmarks of the recording service; each prints a markdown table for the README.
//   dotnet run -c Release --project bench/Service -- stop     [--lengths 1,5,15 --per-length 3]   stop request -> recording.completed
//   dotnet run -c Release --project bench/Service -- start    [--runs 20]                          start latency over HTTP
//   dotnet run -c Release --project bench/Service -- capacity [--steps 4,8,16,24,32 --seconds 60]  concurrent copy recordings and frame loss
//   dotnet run -c Release --project bench/Service -- queue    [--runs 10 --segment 2]              the queue-driven job on Azurite
try
{
    return args.FirstOrDefault() switch
    {
        "stop" => await StopToCompleted.RunAsync(args),
        "start" => await StartLatency.RunAsync(args),
        "capacity" => await CopyCapacity.RunAsync(args),
        "queue" => await QueueJobLatency.RunAsync(args),
        _ => Usage(),
    };
}
catch (Exception) when (ServiceUnderBench.Last is { } service)
{
    // The data folder stays behind for a look (engine.db, each recording's worker.log and events).
    Console.Error.WriteLine($"service exited: {service.HasExited}; data folder {service.DataDirectory}; its last output:\n{service.Tail()}");
    throw;
}

static int Usage()
{
    Console.Error.WriteLine("usage: bench/Service stop|start|capacity|queue [options] (see Program.cs)");
    return 2;
}
