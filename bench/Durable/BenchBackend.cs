using Recording.Durable.Backends;

namespace Recording.Durable.Bench;

/// <summary>A backend under measurement: its name in the table, and a factory of fresh, empty stores (one per scenario).</summary>
internal sealed record BenchBackend(string Name, Func<Task<IDurableBackend>> CreateFreshAsync);
