using Recording.Durable.Instances;

namespace Recording.Durable.Backends;

/// <summary>The outcome of creating an instance: its state, and whether this call created it (false: an existing Pending/Running/Suspended one was returned).</summary>
public sealed record CreateInstanceResult(InstanceState State, bool Created);
