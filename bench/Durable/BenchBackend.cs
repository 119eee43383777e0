using Recording.Durable.Backends;

namespace Recording.Durable.Bench;

/// <summary>A backend under measurement: its name in the table, how many orchestrations it runs, and a factory of fresh, empty stores (one per scenario).</summary>
internal sealed record BenchBackend(string Name, int Orchestrations, Func<Task<IDurableBackend>> CreateFreshAsync);
